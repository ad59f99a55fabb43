public import Foundation

/// One short to make: a spec and an identity. A value, so a queue can store it and a server can show it.
public struct Job: Sendable, Hashable, Identifiable, Codable {
    /// A unique identifier, used in logs and reports.
    public var id: String
    /// What to make.
    public var spec: JobSpec

    /// Creates a job with a fresh identifier.
    public init(spec: JobSpec, id: String = UUID().uuidString.lowercased()) {
        self.id = id
        self.spec = spec
    }
}

/// A stage of the pipeline, in the order a job usually meets them.
public enum PipelineStage: String, Sendable, Hashable, Codable, CaseIterable {
    /// Checks that the tools exist and the output can be written.
    case preflight
    /// Speaks the scenes, or reads the voiceover's timings.
    case narration
    /// Chooses and validates the pictures.
    case footage
    /// Writes the caption script.
    case captions
    /// Composes and encodes the video.
    case render
    /// Measures the finished video.
    case probe
}

/// Something a running job reports: typed, so a terminal, a log or a web page can show it.
public enum PipelineEvent: Sendable, Hashable {
    /// A stage began.
    case started(PipelineStage)
    /// A stage made progress (0…1) with an estimate of the time left.
    case progress(PipelineStage, fraction: Double, remaining: Duration?)
    /// A stage finished, with its measurements.
    case finished(PipelineStage, StageMetrics)
    /// Something a user should know that is not an error (a fallback, a cache hit).
    case note(String)
}
