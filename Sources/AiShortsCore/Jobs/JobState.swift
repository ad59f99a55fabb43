/// Where a queued job stands. A job waiting for a retry is `queued` (with a `notBefore` time).
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for a worker.
    case queued
    /// Claimed by a worker, which holds its lease.
    case running
    /// Finished: the video and its report exist.
    case succeeded
    /// Stopped by an error that retrying will not fix, or out of attempts.
    case failed
    /// Stopped by a client.
    case cancelled
    /// Written (script and spec) and waiting for a person to edit and render it.
    case draft

    /// Whether no worker will touch the job again unless a client asks (retry, render).
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: true
        case .queued, .running, .draft: false
        }
    }
}
