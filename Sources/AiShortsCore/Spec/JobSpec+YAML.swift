public import Foundation
import Yams

extension JobSpec {
    /// Loads and validates a YAML spec file.
    ///
    /// Relative paths in the spec are resolved against the file's folder. Every named file must exist;
    /// whether it can be decoded is checked later, by the footage stage.
    /// - Throws: ``SpecError`` naming the field and line of the first problem.
    public static func load(from file: URL) throws(SpecError) -> JobSpec {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw SpecError(.unreadable, file: file.path, message: "cannot read the spec file (\(Self.reason(error)))")
        }
        return try parse(yaml: text, file: file.path, baseDirectory: file.deletingLastPathComponent())
    }

    /// Parses and validates spec text.
    ///
    /// - Parameters:
    ///   - file: the name used in error messages.
    ///   - baseDirectory: the folder relative paths are resolved against.
    /// - Throws: ``SpecError`` naming the field and line of the first problem.
    public static func parse(yaml: String, file: String, baseDirectory: URL) throws(SpecError) -> JobSpec {
        try parse(yaml: yaml, file: file, paths: .local(base: baseDirectory))
    }

    /// Parses and validates spec text, resolving the files it names with `paths`.
    ///
    /// - Throws: ``SpecError`` naming the field and line of the first problem; with confined `paths`,
    ///   code `forbiddenPath` for a file outside the allowed folders and `invalidValue` for an
    ///   `output.path` (the server chooses where videos go).
    public static func parse(yaml: String, file: String, paths: SpecPaths) throws(SpecError) -> JobSpec {
        try parse(root: try compose(yaml: yaml, file: file), file: file, paths: paths)
    }

    /// Parses spec text into a YAML tree, refusing a tree of more than `maxValues` values (a small
    /// text can stand for a huge tree through anchors and aliases).
    static func compose(yaml: String, file: String, maxValues: Int = 20_000) throws(SpecError) -> Node {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw SpecError(.missingField, file: file, message: "the spec is empty; see docs/spec.md for the format")
            }
            root = node
        } catch let error as SpecError {
            throw error
        } catch let error as YamlError {
            throw SpecError(.invalidYAML, file: file, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw SpecError(.invalidYAML, file: file, message: "not valid YAML: \(error)")
        }
        var budget = maxValues
        guard fits(root, budget: &budget) else {
            throw SpecError(.invalidValue, file: file, message: "the spec has more than \(maxValues) values; a short needs far fewer")
        }
        return root
    }

    /// Counts the tree's values, stopping as soon as the budget is spent.
    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard fits(key, budget: &budget), fits(value, budget: &budget) else { return false }
            }
        case .sequence(let sequence):
            for item in sequence {
                guard fits(item, budget: &budget) else { return false }
            }
        default:
            break
        }
        return true
    }

    /// Validates a composed tree; see ``parse(yaml:file:paths:)``.
    static func parse(root: Node, file: String, paths: SpecPaths) throws(SpecError) -> JobSpec {
        try SpecParser(paths: paths, file: file).spec(SpecNode(node: root, path: "", file: file))
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicated field \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// Turns a YAML tree into a ``JobSpec``, field by field, so errors carry the field path and line.
private struct SpecParser {
    let paths: SpecPaths
    let file: String
    var base: URL { paths.base }

    func spec(_ root: SpecNode) throws(SpecError) -> JobSpec {
        let fields = try root.fields(allowed: [
            "title", "aspect", "language", "voice", "voiceover", "music", "scenes", "library", "footage", "captions", "transition", "output",
        ])
        guard let title = fields["title"] else { throw root.error(.missingField, "missing field \"title\"") }
        guard let scenesNode = fields["scenes"] else {
            throw root.error(.missingField, "missing field \"scenes\" (a list of {text, media, queries})")
        }
        let scenes = try scenesNode.items().map { (node) throws(SpecError) in try scene(node) }
        guard !scenes.isEmpty else { throw scenesNode.error(.invalidValue, "needs at least one scene") }
        var aspect = Aspect.portrait
        if let node = fields["aspect"] {
            let raw = try node.string()
            guard let value = Aspect(rawValue: raw) else {
                throw node.error(.invalidValue, "\"\(raw)\" is not an aspect; use \"9:16\", \"16:9\" or \"1:1\"")
            }
            aspect = value
        }
        return JobSpec(
            title: try title.nonEmptyString(),
            aspect: aspect,
            language: try fields["language"].map { (node) throws(SpecError) in try language(node) } ?? .english,
            voice: try fields["voice"].map { (node) throws(SpecError) in try voice(node) },
            voiceover: try fields["voiceover"].map { (node) throws(SpecError) in try voiceover(node) },
            music: try fields["music"].map { (node) throws(SpecError) in try music(node) },
            scenes: scenes,
            library: try fields["library"].map { (node) throws(SpecError) in
                try node.items(allowScalar: true).map { (item) throws(SpecError) in try item.existingPath(paths) }
            } ?? [],
            footage: try fields["footage"].map { (node) throws(SpecError) in try footage(node) } ?? FootageSettings(),
            captions: try fields["captions"].map { (node) throws(SpecError) in try captions(node) } ?? CaptionSettings(),
            transition: try fields["transition"].map { (node) throws(SpecError) in try transition(node) } ?? .standard,
            output: try output(fields["output"], title: try title.nonEmptyString())
        )
    }

    func scene(_ node: SpecNode) throws(SpecError) -> Scene {
        if node.node.scalar != nil { return Scene(text: try speakable(node)) }
        let fields = try node.fields(allowed: ["text", "media", "queries", "local_queries"])
        guard let text = fields["text"] else { throw node.error(.missingField, "missing field \"text\"") }
        let media = try fields["media"].map { (node) throws(SpecError) in
            try node.items(allowScalar: true).map { (item) throws(SpecError) in try item.existingPath(paths) }
        } ?? []
        let queries = try fields["queries"].map { (node) throws(SpecError) in
            try node.items(allowScalar: true).map { (item) throws(SpecError) in try item.nonEmptyString() }
        } ?? []
        let localQueries = try fields["local_queries"].map { (node) throws(SpecError) in
            try node.items(allowScalar: true).map { (item) throws(SpecError) in try item.nonEmptyString() }
        } ?? []
        return Scene(text: try speakable(text), media: media, queries: queries, localQueries: localQueries)
    }

    /// Narration text with at least one word to speak.
    func speakable(_ node: SpecNode) throws(SpecError) -> String {
        let text = try node.nonEmptyString()
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw node.error(.invalidValue, "has no words to speak; write the narration for this scene")
        }
        return text
    }

    func language(_ node: SpecNode) throws(SpecError) -> LanguageTag {
        let raw = try node.nonEmptyString()
        guard raw.count <= LanguageTag.maxLength, let tag = LanguageTag(raw) else {
            throw node.error(.invalidValue, LanguageTag.problem(raw))
        }
        return tag
    }

    func voice(_ node: SpecNode) throws(SpecError) -> VoiceChoice {
        var nameNode = node
        var speed = 1.0
        if node.node.mapping != nil {
            let fields = try node.fields(allowed: ["name", "speed"])
            guard let name = fields["name"] else { throw node.error(.missingField, "missing field \"name\" (engine:voice)") }
            nameNode = name
            if let speedNode = fields["speed"] { speed = try speedNode.double(in: 0.5...2) }
        }
        let raw = try nameNode.nonEmptyString()
        let parts = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let engine = parts[0].lowercased()
        guard VoiceChoice.engines.contains(engine) else {
            throw nameNode.error(
                .invalidValue,
                "unknown voice engine \"\(engine)\"; available: \(VoiceChoice.engines.joined(separator: ", ")) (write engine:voice, e.g. espeak:en-us)"
            )
        }
        let voice = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        return VoiceChoice(engine: engine, voice: voice.isEmpty ? VoiceChoice.defaultVoice(for: engine) : voice, speed: speed)
    }

    func voiceover(_ node: SpecNode) throws(SpecError) -> Voiceover {
        let fields = try node.fields(allowed: ["audio", "words"])
        guard let audio = fields["audio"] else { throw node.error(.missingField, "missing field \"audio\"") }
        guard let words = fields["words"] else {
            throw node.error(.missingField, "missing field \"words\" (a JSON list of {word, start, end} or an .srt file)")
        }
        return Voiceover(
            audio: try audio.existingPath(paths, directoryAllowed: false),
            words: try words.existingPath(paths, directoryAllowed: false)
        )
    }

    func music(_ node: SpecNode) throws(SpecError) -> Music {
        if node.node.scalar != nil { return Music(file: try node.existingPath(paths, directoryAllowed: false)) }
        let fields = try node.fields(allowed: ["file", "volume"])
        guard let file = fields["file"] else { throw node.error(.missingField, "missing field \"file\"") }
        return Music(
            file: try file.existingPath(paths, directoryAllowed: false),
            volume: try fields["volume"]?.double(in: 0...1) ?? 0.2
        )
    }

    func footage(_ node: SpecNode) throws(SpecError) -> FootageSettings {
        let fields = try node.fields(allowed: ["sources", "clip", "shot_seconds", "max_shots"])
        var settings = FootageSettings()
        if let sources = fields["sources"] {
            settings.sources = try sources.items(allowScalar: true).map { (item) throws(SpecError) in
                let name = try item.nonEmptyString().lowercased()
                guard FootageSettings.knownSources.contains(name) else {
                    let hint = SpecNode.closest(to: name, in: FootageSettings.knownSources).map { "; did you mean \"\($0)\"?" } ?? ""
                    throw item.error(.invalidValue, "unknown footage source \"\(name)\" (known: \(FootageSettings.knownSources.joined(separator: ", ")))\(hint)")
                }
                return name
            }
        }
        if let clip = fields["clip"] {
            let value = try clip.nonEmptyString()
            if paths.isConfined, value.contains("/") {
                throw clip.error(.forbiddenPath, "name an installed CLIP model, not a path")
            }
            // A path is resolved against the spec's folder; a bare name means an installed model.
            settings.clip = value.contains("/") ? try clip.existingPath(paths).path : value
        }
        if let shot = fields["shot_seconds"] { settings.shotSeconds = try shot.double(in: 2...30) }
        if let shots = fields["max_shots"] { settings.maxShots = try shots.int(in: 1...6) }
        return settings
    }

    func captions(_ node: SpecNode) throws(SpecError) -> CaptionSettings {
        if node.node.scalar != nil { return CaptionSettings(enabled: try node.bool()) }
        let fields = try node.fields(allowed: ["enabled", "words_per_line", "font"])
        var settings = CaptionSettings()
        if let enabled = fields["enabled"] { settings.enabled = try enabled.bool() }
        if let words = fields["words_per_line"] { settings.maxWordsPerLine = try words.int(in: 2...4) }
        if let font = fields["font"] { settings.font = try font.nonEmptyString() }
        return settings
    }

    func transition(_ node: SpecNode) throws(SpecError) -> Transition {
        if node.node.scalar != nil {
            switch try node.string() {
            case "cut", "none": return .cut
            case "fade": return .standard
            case "crossfade": return .crossfade(seconds: 0.35)
            case let other: throw node.error(.invalidValue, "\"\(other)\" is not a transition; use cut, fade or crossfade")
            }
        }
        let fields = try node.fields(allowed: ["fade", "crossfade"])
        if let seconds = fields["crossfade"] { return .crossfade(seconds: try seconds.double(in: 0.05...2)) }
        guard let seconds = fields["fade"] else { throw node.error(.missingField, "write transition: {fade: SECONDS} or {crossfade: SECONDS}") }
        return .fade(seconds: try seconds.double(in: 0.05...2))
    }

    func output(_ node: SpecNode?, title: String) throws(SpecError) -> OutputSettings {
        let fallback = base.appendingPathComponent("out").appendingPathComponent(JobSpec.slug(title) + ".mp4")
        guard let node else { return OutputSettings(path: fallback) }
        let fields = try node.fields(allowed: ["path", "preset", "fps", "crf"])
        var settings = OutputSettings(path: fallback)
        if let path = fields["path"] {
            if paths.isConfined {
                throw path.error(.invalidValue, "the server chooses where videos go; leave output.path out")
            }
            let raw = (try path.nonEmptyString() as NSString).expandingTildeInPath
            settings.path = (raw.hasPrefix("/") ? URL(fileURLWithPath: raw) : base.appendingPathComponent(raw)).standardizedFileURL
            guard settings.path.pathExtension.lowercased() == "mp4" else {
                throw path.error(.invalidValue, "the output must be an .mp4 file")
            }
        }
        if let preset = fields["preset"] {
            let value = try preset.string()
            guard OutputSettings.presets.contains(value) else {
                throw preset.error(.invalidValue, "\"\(value)\" is not an x264 preset; use one of \(OutputSettings.presets.joined(separator: ", "))")
            }
            settings.preset = value
        }
        if let fps = fields["fps"] { settings.fps = try fps.int(in: 12...60) }
        if let crf = fields["crf"] { settings.crf = try crf.int(in: 0...51) }
        return settings
    }
}

extension JobSpec {
    /// A file-name-safe form of a title: `Four things about space` → `four-things-about-space`.
    public static func slug(_ title: String) -> String {
        let words = title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        let slug = words.prefix(8).joined(separator: "-")
        return slug.isEmpty ? "short" : slug
    }
}

extension VoiceChoice {
    /// The narration engines this build knows: hibari (the default), Piper voices, Kokoro voices,
    /// espeak-ng (the last resort).
    public static let engines = ["hibari", "piper", "kokoro", "espeak"]

    /// The voice an engine uses when a spec names only the engine.
    public static func defaultVoice(for engine: String) -> String {
        switch engine {
        case "hibari": "heart"
        case "piper": "en_US-joe-medium"
        case "kokoro": "jf_alpha"
        default: "en-us"
        }
    }
}

extension VoiceChoice {
    /// Reads `engine:voice` (or just `engine`, for its default voice).
    /// - Throws: ``JobError`` (`badRequest`, field `voice`) naming the engines for an unknown one.
    public static func parse(_ text: String) throws(JobError) -> VoiceChoice {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let engine = parts.first?.lowercased(), engines.contains(engine) else {
            throw JobError.bad("voice", "unknown engine in \"\(text)\"; available: \(engines.joined(separator: ", "))")
        }
        let voice = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        return VoiceChoice(engine: engine, voice: voice.isEmpty ? defaultVoice(for: engine) : voice)
    }
}
