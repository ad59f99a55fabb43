public import Foundation

/// What the language model writes for one short: everything the pipeline and an upload need.
public struct WrittenScript: Sendable, Hashable, Codable {
    /// One scene: what is said, and what to search for to show it.
    public struct Scene: Sendable, Hashable, Codable {
        /// The narration.
        public var narration: String
        /// Two or three concrete visual search phrases, in English (what stock sites index).
        public var queries: [String]
        /// The same phrases in the script's language, for YouTube; absent for an English script.
        public var localQueries: [String]?

        /// Creates a scene.
        public init(narration: String, queries: [String], localQueries: [String]? = nil) {
            self.narration = narration
            self.queries = queries
            self.localQueries = localQueries
        }

        enum CodingKeys: String, CodingKey {
            case narration, queries
            case localQueries = "local_queries"
        }
    }

    /// The title.
    public var title: String
    /// The opening line, spoken first.
    public var hook: String
    /// The scenes, in order.
    public var scenes: [Scene]
    /// The upload description.
    public var description: String
    /// Hashtags for the upload.
    public var hashtags: [String]

    /// The JSON schema of the answer for `language`, sent as `response_format` where the provider
    /// supports it: in another language than English, each scene also has `local_queries`.
    public static func schema(for language: LanguageTag) -> String {
        guard !language.sameLanguage(as: .english) else { return schema }
        return schema.replacingOccurrences(of: #""required":["narration","queries"]"#, with: #""required":["narration","queries","local_queries"]"#)
            .replacingOccurrences(
                of: #""queries":{"type":"array","items":{"type":"string"}}}"#,
                with: #""queries":{"type":"array","items":{"type":"string"}},"local_queries":{"type":"array","items":{"type":"string"}}}"#)
    }

    /// The JSON schema of an English answer.
    public static let schema = """
        {"type":"object","additionalProperties":false,"required":["title","hook","scenes","description","hashtags"],\
        "properties":{"title":{"type":"string"},"hook":{"type":"string"},\
        "scenes":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["narration","queries"],\
        "properties":{"narration":{"type":"string"},"queries":{"type":"array","items":{"type":"string"}}}}},\
        "description":{"type":"string"},"hashtags":{"type":"array","items":{"type":"string"}}}}
        """

    /// Every word spoken: the hook and the narrations.
    public var spokenWords: Int {
        ([hook] + scenes.map(\.narration)).reduce(0) { $0 + Narration.words(in: $1).count }
    }

    /// The first problem that makes this English script unusable for a short of `targetSeconds`, or `nil`.
    public func problem(targetSeconds: Double) -> String? {
        problem(targetSeconds: targetSeconds, language: .english)
    }

    /// The first problem that makes this script unusable for a short of `targetSeconds` in `language`, or `nil`.
    ///
    /// Checks: a title; 3–8 scenes; every scene spoken and with at least one search phrase; a pace the
    /// language's narrator can say in the time (``SpeechPace``: 1.6–3.4 words a second for English,
    /// characters for Japanese and Chinese); the hook and narrations in the language (for English,
    /// mostly ASCII letters; for others, ``LanguageCheck``).
    public func problem(targetSeconds: Double, language: LanguageTag) -> String? {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the title is empty" }
        guard (3...8).contains(scenes.count) else { return "it has \(scenes.count) scenes; write 3 to 8" }
        for (index, scene) in scenes.enumerated() {
            if Narration.words(in: scene.narration).isEmpty { return "scene \(index + 1) has no narration" }
            if !scene.queries.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return "scene \(index + 1) has no search queries; give 2 or 3 concrete visual queries per scene"
            }
        }
        let said = ([hook] + scenes.map(\.narration)).joined(separator: " ")
        // In another language, the language comes first: the pace of an answer in the wrong one means nothing.
        if !language.sameLanguage(as: .english), let wrong = LanguageCheck.problem(said, expected: language) {
            return "\(wrong); write the hook and every narration in \(language.englishName)"
        }
        let pace = SpeechPace(language)
        let spoken = ([hook] + scenes.map(\.narration)).reduce(0) { $0 + pace.count(in: $1) }
        if !pace.acceptable.contains(Double(spoken) / targetSeconds) {
            let wanted = pace.target(seconds: targetSeconds)
            return "it has \(spoken) spoken \(pace.unitName) for \(Int(targetSeconds)) seconds; write about \(wanted)"
        }
        guard language.sameLanguage(as: .english) else { return nil }
        let letters = (title + said).unicodeScalars.filter { CharacterSet.letters.contains($0) }
        let latin = letters.filter { $0.isASCII }.count
        if !letters.isEmpty, Double(latin) / Double(letters.count) < 0.85 { return "it is not in English" }
        return nil
    }

    /// The job spec for this script: the hook is a scene of its own (showing the first scene's
    /// footage), then one spec scene per written scene, keeping its search phrases (and, in another
    /// language than English, their translations for YouTube). Keeping scenes one-to-one lets
    /// narration start on each scene as it streams in.
    public func spec(output: URL, language: LanguageTag = .english) -> JobSpec {
        var specScenes = scenes.map { JobSpecScene(text: $0.narration, queries: $0.queries, localQueries: $0.localQueries ?? []) }
        let opening = hook.trimmingCharacters(in: .whitespacesAndNewlines)
        if !opening.isEmpty, Narration.words(in: opening).count > 0 {
            specScenes.insert(
                JobSpecScene(text: opening, queries: scenes.first?.queries ?? [], localQueries: scenes.first?.localQueries ?? []), at: 0)
        }
        return JobSpec(title: title, language: language, scenes: specScenes, output: OutputSettings(path: output))
    }
}

/// The spec's scene type, named apart from ``WrittenScript/Scene``.
public typealias JobSpecScene = Scene
