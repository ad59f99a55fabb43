public import Foundation

/// What to write about.
public enum ScriptBrief: Sendable, Hashable {
    /// A given topic.
    case topic(String)
    /// A fresh theme in a category, avoiding the titles already made.
    case category(String, avoiding: [String])
}

/// What writing a script cost, for the run report.
public struct WriterReport: Sendable, Hashable, Codable {
    /// The provider and model, as `provider:model`.
    public var model: String
    /// HTTP requests made (retries and the repair included); 0 when answered from the cache.
    public var requests: Int
    /// Prompt tokens used.
    public var promptTokens: Int
    /// Completion tokens used.
    public var completionTokens: Int
    /// Seconds from asking to a validated script.
    public var latencySeconds: Double
    /// Whether the answer came from the cache.
    public var cacheHit: Bool
    /// Whether a repair request was needed.
    public var repaired: Bool
}

/// Turns a topic into a ``WrittenScript`` with ONE chat-completions call (plus, only if the answer is
/// unusable, one repair call that quotes the problem).
///
/// The topic is user data: it travels JSON-encoded in the user message, never inside the system
/// prompt. Answers are cached on disk by provider, base URL, model, messages and parameters (never the
/// key), for ``LLMSettings/cacheLifetime``; a cached answer costs no request.
public struct ScriptWriter: Sendable {
    /// Who answers.
    public var client: any ChatClient
    /// Model, temperature and target length.
    public var settings: LLMSettings
    /// Where answers are cached; `nil` disables the cache.
    public var cache: DiskCache?
    /// The language the title, hook, narrations, description and hashtags are written in; search
    /// phrases stay English, with translations for YouTube beside them.
    public var language: LanguageTag = .english

    /// The longest topic accepted, in characters.
    public static let maxTopicLength = 500

    /// Creates a writer.
    public init(client: any ChatClient, settings: LLMSettings, cache: DiskCache?) {
        self.client = client
        self.settings = settings
        self.cache = cache
    }

    /// Writes a script, calling `onScene` with each scene as soon as it has streamed in.
    ///
    /// - Throws: ``ScriptError``; `CancellationError`.
    public func write(
        _ brief: ScriptBrief,
        onScene: @escaping @Sendable (Int, WrittenScript.Scene) async -> Void = { _, _ in }
    ) async throws -> (script: WrittenScript, report: WriterReport) {
        let start = ContinuousClock.now
        let messages = try Self.messages(for: brief, targetSeconds: settings.targetSeconds, language: language)
        let request = ChatRequest(
            model: settings.model, messages: messages, temperature: settings.temperature, schema: WrittenScript.schema(for: language))
        let key = cacheKey(request)
        var report = WriterReport(
            model: "\(settings.provider.rawValue):\(settings.model)", requests: 0, promptTokens: 0, completionTokens: 0,
            latencySeconds: 0, cacheHit: false, repaired: false
        )
        let avoided: [String]
        if case .category(_, let titles) = brief { avoided = titles } else { avoided = [] }
        if let cached = cachedAnswer(key), let script = try? Self.decode(cached), Self.problem(in: cached, targetSeconds: settings.targetSeconds, avoiding: avoided, language: language) == nil {
            for (index, scene) in script.scenes.enumerated() { await onScene(index, scene) }
            report.cacheHit = true
            report.latencySeconds = (ContinuousClock.now - start).inSeconds
            return (script, report)
        }
        let delivered = DeliveredScenes()
        var completion = try await ask(request, delivered: delivered, onScene: onScene)
        report.add(completion)
        var problem = Self.problem(in: completion.content, targetSeconds: settings.targetSeconds, avoiding: avoided, language: language)
        if let found = problem {
            report.repaired = true
            var repair = request
            repair.messages += [
                .assistant(completion.content),
                .user("That answer cannot be used: \(found). Reply again with the whole corrected JSON object only, in the same format."),
            ]
            completion = try await ask(repair, delivered: delivered, onScene: onScene)
            report.add(completion)
            problem = Self.problem(in: completion.content, targetSeconds: settings.targetSeconds, avoiding: avoided, language: language)
        }
        if let problem {
            throw ScriptError(.invalidAnswer, "the model's answer was not a usable script, even after one repair (\(problem)); try again or use another model with --model")
        }
        let script = try Self.decode(completion.content)
        store(completion.content, key: key)
        report.latencySeconds = (ContinuousClock.now - start).inSeconds
        return (script, report)
    }

    private func ask(
        _ request: ChatRequest,
        delivered: DeliveredScenes,
        onScene: @escaping @Sendable (Int, WrittenScript.Scene) async -> Void
    ) async throws -> ChatCompletion {
        let scanner = ScanState()
        return try await client.complete(request) { text in
            for (index, json) in await scanner.feed(text) {
                guard let scene = try? JSONDecoder().decode(WrittenScript.Scene.self, from: Data(json.utf8)),
                    await delivered.claim(index, scene)
                else { continue }
                await onScene(index, scene)
            }
        }
    }

    /// What makes an answer unusable: its content, or (for a category) a theme already made.
    static func problem(in content: String, targetSeconds: Double, avoiding titles: [String] = [], language: LanguageTag = .english) -> String? {
        do {
            let script = try decode(content)
            if let problem = script.problem(targetSeconds: targetSeconds, language: language) { return problem }
            let title = script.title.trimmingCharacters(in: .whitespaces).lowercased()
            if titles.contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == title }) {
                return "\"\(script.title)\" was already made; pick a different theme"
            }
            return nil
        } catch {
            return "it is not the JSON object asked for (\(error))"
        }
    }

    static func decode(_ content: String) throws -> WrittenScript {
        // Some models wrap JSON in a Markdown fence even when told not to.
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```"), let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}") {
            text = String(text[open...close])
        }
        do {
            return try JSONDecoder().decode(WrittenScript.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw ScriptError(.invalidAnswer, Self.describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted: "not valid JSON"
        @unknown default: "not valid JSON"
        }
    }
}

/// Scenes already handed on, so a repaired answer does not hand the same scene twice.
private actor DeliveredScenes {
    private var scenes: [Int: WrittenScript.Scene] = [:]

    func claim(_ index: Int, _ scene: WrittenScript.Scene) -> Bool {
        guard scenes[index] != scene else { return false }
        scenes[index] = scene
        return true
    }
}

/// The streaming scanner of one answer, with the index of the next scene.
private actor ScanState {
    private var scanner = SceneScanner()
    private var next = 0

    func feed(_ text: String) -> [(Int, String)] {
        scanner.feed(text).map { json in
            defer { next += 1 }
            return (next, json)
        }
    }
}

extension WriterReport {
    mutating func add(_ completion: ChatCompletion) {
        requests += completion.requests
        promptTokens += completion.promptTokens
        completionTokens += completion.completionTokens
    }
}
