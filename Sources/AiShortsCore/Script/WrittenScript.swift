public import Foundation

/// What the language model writes for one short: everything the pipeline and an upload need.
public struct WrittenScript: Sendable, Hashable, Codable {
    /// One scene: what is said, and what to search for to show it.
    public struct Scene: Sendable, Hashable, Codable {
        /// The narration.
        public var narration: String
        /// Two or three concrete visual search phrases.
        public var queries: [String]

        /// Creates a scene.
        public init(narration: String, queries: [String]) {
            self.narration = narration
            self.queries = queries
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

    /// The JSON schema of the answer, sent as `response_format` where the provider supports it.
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

    /// The first problem that makes this script unusable for a short of `targetSeconds`, or `nil`.
    ///
    /// Checks: a title; 3–8 scenes; every scene spoken and with at least one search phrase; a pace of
    /// 1.6–3.4 words a second (a narrator speaks about 2.5); English text (the voices speak English).
    public func problem(targetSeconds: Double) -> String? {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the title is empty" }
        guard (3...8).contains(scenes.count) else { return "it has \(scenes.count) scenes; write 3 to 8" }
        for (index, scene) in scenes.enumerated() {
            if Narration.words(in: scene.narration).isEmpty { return "scene \(index + 1) has no narration" }
            if !scene.queries.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return "scene \(index + 1) has no search queries; give 2 or 3 concrete visual queries per scene"
            }
        }
        let pace = Double(spokenWords) / targetSeconds
        if pace < 1.6 || pace > 3.4 {
            let wanted = Int(targetSeconds * 2.5)
            return "it has \(spokenWords) spoken words for \(Int(targetSeconds)) seconds; write about \(wanted)"
        }
        let letters = ([hook, title] + scenes.map(\.narration)).joined().unicodeScalars.filter { CharacterSet.letters.contains($0) }
        let latin = letters.filter { $0.isASCII }.count
        if !letters.isEmpty, Double(latin) / Double(letters.count) < 0.85 { return "it is not in English" }
        return nil
    }

    /// The job spec for this script: the hook is a scene of its own (showing the first scene's
    /// footage), then one spec scene per written scene, keeping its search phrases. Keeping scenes
    /// one-to-one lets narration start on each scene as it streams in.
    public func spec(output: URL) -> JobSpec {
        var specScenes = scenes.map { JobSpecScene(text: $0.narration, queries: $0.queries) }
        let opening = hook.trimmingCharacters(in: .whitespacesAndNewlines)
        if !opening.isEmpty, Narration.words(in: opening).count > 0 {
            specScenes.insert(JobSpecScene(text: opening, queries: scenes.first?.queries ?? []), at: 0)
        }
        return JobSpec(title: title, scenes: specScenes, output: OutputSettings(path: output))
    }
}

/// The spec's scene type, named apart from ``WrittenScript/Scene``.
public typealias JobSpecScene = Scene
