public import Foundation

/// What a job did and what it cost, written next to the video as `<name>.report.json`.
public struct RunReport: Sendable, Hashable, Codable {
    /// One scene as rendered.
    public struct SceneReport: Sendable, Hashable, Codable {
        /// 1-based scene number.
        public var scene: Int
        /// When the scene starts in the video, in seconds.
        public var start: Double
        /// How long it lasts.
        public var duration: Double
        /// How many words are spoken in it.
        public var words: Int
        /// Where its pictures came from: `spec`, `library` or `generated`.
        public var footage: String
        /// The pictures, as labels.
        public var visuals: [String]
        /// Why these pictures.
        public var note: String
        /// The clips the footage stage considered, the shown ones first; absent when the spec named
        /// the scene's media or no source found anything.
        public var candidates: [ConsideredClip]?
    }

    /// The job's identifier.
    public var job: String
    /// The short's title.
    public var title: String
    /// The video file.
    public var output: String
    /// The voice that narrated, or the voiceover file.
    public var voice: String
    /// The short's language, as a BCP 47 tag (`pt-BR`); absent in reports written before languages.
    public var language: String?
    /// Per-stage costs, by stage name (`preflight`, `narration`, `footage`, `captions`, `render`, `probe`).
    public var stages: [String: StageMetrics]
    /// The whole job's cost.
    public var total: StageMetrics
    /// Cache hits and misses by cache name.
    public var caches: [String: CacheCount]
    /// The scenes.
    public var scenes: [SceneReport]
    /// Measurements of the finished video.
    public var video: OutputReport
    /// What writing the script cost, when a language model wrote it.
    public var writer: WriterReport?
    /// The neural models this process used so far: loads, load time, resident memory around them.
    public var models: [ModelUsage] = []
    /// What the footage stage searched, fetched and avoided, and which scorer ranked.
    public var footage: FootageReport?
    /// The memory budget the server's jobs share, in bytes, when a server ran the job (the studio
    /// draws the peak against it); `nil` from the command line, which has no budget.
    public var memoryBudgetBytes: Int?

    /// Where the report for `output` is written: the video's path with `.report.json` for `.mp4`.
    public static func location(for output: URL) -> URL {
        output.deletingPathExtension().appendingPathExtension("report.json")
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
