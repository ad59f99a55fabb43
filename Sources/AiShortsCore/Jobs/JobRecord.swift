public import Foundation

/// A job as the queue stores it: the request, the spec once there is one, where it stands.
public struct JobRecord: Sendable, Hashable, Codable, Identifiable {
    /// The job's identifier.
    public var id: String
    /// Where it stands.
    public var state: JobState
    /// What the client asked for.
    public var request: JobRequest
    /// The spec (YAML, as a client may edit it); `nil` until the LLM has written it.
    public var spec: String?
    /// The short's title, once known.
    public var title: String?
    /// The running stage, or `nil`.
    public var stage: String?
    /// How far the running stage is, 0…1.
    public var fraction: Double
    /// Seconds the running stage still needs, when known.
    public var etaSeconds: Double?
    /// How many times a worker claimed it.
    public var attempts: Int
    /// When it was created.
    public var createdAt: Date
    /// When its latest attempt started.
    public var startedAt: Date?
    /// When it last finished (succeeded, failed, was cancelled or became a draft).
    public var finishedAt: Date?
    /// Why it failed, or why its last attempt failed while it waits for a retry.
    public var error: JobFailure?
    /// The run report (JSON), once it succeeded.
    public var report: String?
    /// The client's `Idempotency-Key`, if it sent one.
    public var idempotencyKey: String?
    /// A queued job waiting for a retry is not claimed before this.
    public var notBefore: Date?
    /// The worker holding the lease, while running.
    public var worker: String?
    /// When the worker's lease runs out unless renewed.
    public var leaseExpires: Date?
    /// A client asked to cancel it while it ran.
    public var cancelRequested: Bool
    /// The memory its render is expected to need at its peak, in bytes.
    public var expectedMemory: Int

    /// Creates a queued job.
    public init(id: String, request: JobRequest, spec: String?, title: String?, createdAt: Date, idempotencyKey: String?, expectedMemory: Int) {
        self.id = id
        self.state = .queued
        self.request = request
        self.spec = spec
        self.title = title
        self.stage = nil
        self.fraction = 0
        self.etaSeconds = nil
        self.attempts = 0
        self.createdAt = createdAt
        self.startedAt = nil
        self.finishedAt = nil
        self.error = nil
        self.report = nil
        self.idempotencyKey = idempotencyKey
        self.notBefore = nil
        self.worker = nil
        self.leaseExpires = nil
        self.cancelRequested = false
        self.expectedMemory = expectedMemory
    }
}

/// One page of a job listing, newest first.
public struct JobPage: Sendable, Hashable {
    /// The jobs.
    public var jobs: [JobRecord]
    /// Pass this to get the next page; `nil` on the last.
    public var nextCursor: String?

    /// Creates a page.
    public init(jobs: [JobRecord], nextCursor: String?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

/// How a worker's attempt ended.
public enum JobOutcome: Sendable, Hashable {
    /// The video and report are in place.
    case succeeded(report: String)
    /// The script and spec are written; a person edits and renders it.
    case draft
    /// It failed; `retryAt` puts it back in the queue until then, `nil` fails it for good.
    case failed(JobFailure, retryAt: Date?)
    /// A client cancelled it.
    case cancelled
    /// The worker is stopping: back to the queue, to run again.
    case requeued
}

/// What a worker learns when it renews its lease.
public enum LeaseStatus: Sendable, Hashable {
    /// The lease is renewed; go on.
    case held
    /// A client asked to cancel the job: stop it.
    case cancelRequested
    /// The lease was lost (it expired and the job went back): stop and write nothing.
    case lost
}

/// A change to a running job's progress, stored with the events that describe it.
public struct JobProgress: Sendable, Hashable {
    /// The stage now running.
    public var stage: String?
    /// How far it is, 0…1.
    public var fraction: Double
    /// Seconds left, when known.
    public var etaSeconds: Double?

    /// Creates a progress update.
    public init(stage: String?, fraction: Double, etaSeconds: Double?) {
        self.stage = stage
        self.fraction = fraction
        self.etaSeconds = etaSeconds
    }
}
