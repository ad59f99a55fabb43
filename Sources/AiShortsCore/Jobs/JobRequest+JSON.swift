public import Foundation

extension JobRequest {
    /// The keys a request body may have.
    public static let keys = ["topic", "category", "script", "spec", "title", "voice", "language", "aspect", "duration", "music", "footage", "preset", "captions", "draft", "callback_url"]

    /// Reads a request body: a JSON object with exactly one of `topic`, `category`, `script`, `spec`.
    ///
    /// - Throws: ``JobError`` (`badRequest`, naming the field) for malformed JSON, unknown keys, wrong
    ///   types, values out of range; `tooLarge` for text over its limit.
    public static func parse(json data: Data) throws(JobError) -> JobRequest {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw JobError(.badRequest, "the body is not valid JSON; send a JSON object such as {\"topic\": \"ants that farm fungus\"}", field: "body")
        }
        guard let object = value as? [String: Any] else {
            throw JobError(.badRequest, "the body must be a JSON object such as {\"topic\": \"ants that farm fungus\"}", field: "body")
        }
        return try parse(object: object)
    }

    /// Reads a request from a decoded JSON object; see ``parse(json:)``.
    public static func parse(object: [String: Any]) throws(JobError) -> JobRequest {
        let unknown = object.keys.filter { !keys.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw JobError(.badRequest, "unknown field\(unknown.count > 1 ? "s" : "") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); allowed: \(keys.joined(separator: ", "))", field: unknown[0])
        }
        let sources = ["topic", "category", "script", "spec"].filter { object[$0] != nil && !(object[$0] is NSNull) }
        guard sources.count == 1 else {
            throw JobError(.badRequest, "give exactly one of topic, category, script or spec (got \(sources.isEmpty ? "none" : sources.joined(separator: ", ")))", field: sources.count > 1 ? sources[1] : "topic")
        }
        let source: Source
        switch sources[0] {
        case "topic": source = .topic(try text(object, "topic", limit: maxTopicCharacters))
        case "category": source = .category(try text(object, "category", limit: maxTopicCharacters))
        case "script": source = .script(try text(object, "script", limit: maxTextCharacters))
        default:
            if object["spec"] is String {
                source = .spec(try text(object, "spec", limit: maxTextCharacters))
            } else if let spec = object["spec"] as? [String: Any] {
                guard let data = try? JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys, .withoutEscapingSlashes]) else {
                    throw JobError.bad("spec", "cannot be read as JSON")
                }
                guard data.count <= maxTextCharacters else { throw JobError(.tooLarge, "spec: longer than \(maxTextCharacters) characters", field: "spec") }
                source = .spec(String(decoding: data, as: UTF8.self))
            } else {
                throw JobError.bad("spec", "expected the YAML spec as text, or the same as a JSON object")
            }
        }
        var request = JobRequest(source: source)
        request.title = try optionalText(object, "title", limit: 200)
        request.voice = try optionalText(object, "voice", limit: 200)
        if let voice = request.voice {
            let engine = voice.split(separator: ":").first.map { String($0).lowercased() } ?? ""
            guard VoiceChoice.engines.contains(engine) else {
                throw JobError.bad("voice", "unknown engine in \"\(voice)\"; write engine:voice with one of \(VoiceChoice.engines.joined(separator: ", "))")
            }
        }
        request.language = try optionalText(object, "language", limit: LanguageTag.maxLength)
        if let language = request.language, LanguageTag(language) == nil {
            throw JobError.bad("language", LanguageTag.problem(language))
        }
        request.aspect = try optionalText(object, "aspect", limit: 10)
        if let aspect = request.aspect, Aspect(rawValue: aspect) == nil {
            throw JobError.bad("aspect", "\"\(aspect)\" is not an aspect; use \"9:16\", \"16:9\" or \"1:1\"")
        }
        if let duration = object["duration"], !(duration is NSNull) {
            guard let seconds = number(duration) else { throw JobError.bad("duration", "expected a number of seconds") }
            guard (10...180).contains(seconds) else { throw JobError.bad("duration", "must be 10 to 180 seconds") }
            request.duration = seconds
        }
        if let music = object["music"], !(music is NSNull) {
            request.music = try musicChoice(music)
        }
        request.preset = try optionalText(object, "preset", limit: 20)
        if let preset = request.preset, !OutputSettings.presets.contains(preset) {
            throw JobError.bad("preset", "\"\(preset)\" is not an x264 preset; use one of \(OutputSettings.presets.joined(separator: ", "))")
        }
        for key in ["footage", "captions"] {
            guard let value = object[key], !(value is NSNull) else { continue }
            guard value is [String: Any] || (key == "captions" && isFlag(value)) else {
                throw JobError.bad(key, key == "captions" ? "expected true, false or an object" : "expected an object, as in the spec")
            }
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
            if key == "footage" { request.footage = String(decoding: data, as: UTF8.self) } else { request.captions = String(decoding: data, as: UTF8.self) }
        }
        if let draft = object["draft"], !(draft is NSNull) {
            guard isFlag(draft), let flag = draft as? Bool else { throw JobError.bad("draft", "expected true or false") }
            request.draft = flag
        }
        if let callback = try optionalText(object, "callback_url", limit: CallbackURL.maxCharacters) {
            request.callbackURL = try CallbackURL.parse(callback).absoluteString
        }
        return request
    }

    /// Text over `limit` is "too large" (413) for the words of a short, a plain bad value (400)
    /// for a short option such as a preset name.
    private static func text(_ object: [String: Any], _ key: String, limit: Int, isOption: Bool = false) throws(JobError) -> String {
        guard let value = object[key] as? String else { throw JobError.bad(key, "expected text") }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw JobError.bad(key, "must not be empty") }
        guard trimmed.count <= limit else {
            throw isOption ? JobError.bad(key, "longer than \(limit) characters") : JobError(.tooLarge, "\(key): longer than \(limit) characters", field: key)
        }
        return trimmed
    }

    private static func optionalText(_ object: [String: Any], _ key: String, limit: Int) throws(JobError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return try text(object, key, limit: limit, isOption: true)
    }

    private static func musicChoice(_ value: Any) throws(JobError) -> MusicChoice {
        guard let fields = value as? [String: Any] else { throw JobError.bad("music", "expected {\"upload\": ID, \"volume\": 0.2}") }
        let unknown = fields.keys.filter { !["upload", "volume"].contains($0) }.sorted()
        if let first = unknown.first { throw JobError.bad("music.\(first)", "unknown field; allowed: upload, volume") }
        guard let upload = fields["upload"] as? String, SpecPaths.isUploadID(Substring(upload)) else {
            throw JobError.bad("music.upload", "expected the id of an upload (POST /api/v1/uploads)")
        }
        var choice = MusicChoice(upload: upload)
        if let volume = fields["volume"], !(volume is NSNull) {
            guard let value = number(volume), (0...1).contains(value) else { throw JobError.bad("music.volume", "expected a number from 0 to 1") }
            choice.volume = value
        }
        return choice
    }

    /// A JSON number (not a flag: Foundation reads `true` as a number too).
    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isFlag(value) else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }

    private static func isFlag(_ value: Any) -> Bool {
        // JSONSerialization gives numbers and flags both as NSNumber; a flag's type code is `c`.
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }
}
