public import Foundation

/// What a client asked for: one source of words (a topic, a category, a script or a spec) and
/// options that override the spec. Stored with the job, so a retry or a restart makes the same short.
public struct JobRequest: Sendable, Hashable, Codable {
    /// Where the words come from.
    public enum Source: Sendable, Hashable, Codable {
        /// The LLM writes a script about this.
        case topic(String)
        /// The LLM picks a theme in this category that was not made before.
        case category(String)
        /// Plain paragraphs, one scene each (as `make --script` reads them).
        case script(String)
        /// A job spec, as YAML (or JSON, which YAML reads too).
        case spec(String)
    }

    /// Where the words come from.
    public var source: Source
    /// The title (overrides the spec's).
    public var title: String?
    /// `engine:voice`.
    public var voice: String?
    /// The short's language, a BCP 47 tag (`pt-BR`; overrides the spec's `language`).
    public var language: String?
    /// `9:16`, `16:9` or `1:1`.
    public var aspect: String?
    /// The narration's target length in seconds, for the LLM (10…180).
    public var duration: Double?
    /// Background music: an upload and its volume.
    public var music: MusicChoice?
    /// The spec's `footage` settings, as JSON text.
    public var footage: String?
    /// The x264 preset.
    public var preset: String?
    /// The spec's `captions` settings (a flag or an object), as JSON text.
    public var captions: String?
    /// Stop after writing the script and spec, in state `draft`, for a person to edit.
    public var draft: Bool
    /// Where the server POSTs the job, signed, when it reaches a terminal state.
    public var callbackURL: String?

    /// Music from an upload.
    public struct MusicChoice: Sendable, Hashable, Codable {
        /// The upload's identifier.
        public var upload: String
        /// Linear gain, 0…1.
        public var volume: Double

        /// Creates a music choice.
        public init(upload: String, volume: Double = 0.2) {
            self.upload = upload
            self.volume = volume
        }
    }

    /// Creates a request.
    public init(source: Source, title: String? = nil, voice: String? = nil, aspect: String? = nil, duration: Double? = nil,
                music: MusicChoice? = nil, footage: String? = nil, preset: String? = nil, captions: String? = nil, draft: Bool = false) {
        self.source = source
        self.title = title
        self.voice = voice
        self.aspect = aspect
        self.duration = duration
        self.music = music
        self.footage = footage
        self.preset = preset
        self.captions = captions
        self.draft = draft
    }

    /// The longest topic or category, in characters.
    public static let maxTopicCharacters = 2_000
    /// The longest script or spec text, in characters.
    public static let maxTextCharacters = 200_000
    /// The most scenes one job may have.
    public static let maxScenes = 60

    /// Whether an LLM must write the script first.
    public var needsWriting: Bool {
        switch source {
        case .topic, .category: true
        case .script, .spec: false
        }
    }

    /// The spec's fields the options replace, as plain values for a YAML/JSON document.
    var overrides: [String: Any] {
        var fields: [String: Any] = [:]
        if let title { fields["title"] = title }
        if let voice { fields["voice"] = voice }
        if let language { fields["language"] = language }
        if let aspect { fields["aspect"] = aspect }
        if let music { fields["music"] = ["file": "upload:\(music.upload)", "volume": music.volume] }
        if let footage, let value = Self.jsonValue(footage) { fields["footage"] = value }
        if let captions, let value = Self.jsonValue(captions) { fields["captions"] = value }
        return fields
    }

    static func jsonValue(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
