public import Foundation

/// A durable queue of jobs and their events, shared by the clients that add jobs and the workers
/// that run them.
///
/// Engines: ``SQLiteJobQueue`` (one process, embedded). Every engine passes the same contract suite.
/// Rules every engine keeps: a job is claimed by one worker at a time, under a lease the worker renews;
/// a lease that runs out puts the job back (``reclaimExpired(now:)``); a worker's writes are fenced by
/// its lease, so one that lost it cannot overwrite the job; events are numbered 1, 2, 3 … per job.
public protocol JobQueue: Sendable {
    /// Adds a job, or returns the job made earlier with the same idempotency key.
    ///
    /// - Throws: ``JobError`` `queueFull` when `maxQueued` jobs are already waiting.
    func enqueue(_ job: JobRecord, maxQueued: Int) async throws -> (job: JobRecord, created: Bool)
    /// The job, or `nil`.
    func job(_ id: String) async throws -> JobRecord?
    /// Jobs newest first, optionally in one state; `cursor` continues a listing.
    func list(state: JobState?, cursor: String?, limit: Int) async throws -> JobPage
    /// Claims the oldest job that is due and whose expected memory is at most `memoryAvailable`,
    /// giving `worker` a lease of `lease`; counts the attempt.
    func claim(worker: String, lease: Duration, memoryAvailable: Int, now: Date) async throws -> JobRecord?
    /// Renews `worker`'s lease on the job.
    func heartbeat(_ id: String, worker: String, lease: Duration, now: Date) async throws -> LeaseStatus
    /// Stores events (numbering them) and, when given, the job's progress; `worker`, when given,
    /// must still hold the lease, else nothing is stored and the result is empty.
    func record(_ id: String, worker: String?, events: [NewJobEvent], progress: JobProgress?, now: Date) async throws -> [JobEvent]
    /// Stores the spec (and title) of a job: the LLM's draft, or a client's edit.
    func saveSpec(_ id: String, spec: String, title: String?) async throws
    /// Ends `worker`'s attempt; `false` when the worker no longer held the lease (nothing changed).
    func finish(_ id: String, worker: String, outcome: JobOutcome, now: Date) async throws -> Bool
    /// Cancels a queued or draft job at once; marks a running one for its worker to stop.
    /// - Throws: ``JobError`` `notFound`, `wrongState` for a finished job.
    func cancel(_ id: String, now: Date) async throws -> JobRecord
    /// Puts a failed or cancelled job, a draft or a finished one, back in the queue.
    /// - Throws: ``JobError`` `notFound`, `wrongState` for a queued or running job, `queueFull` when
    ///   `maxQueued` jobs are already waiting.
    func requeue(_ id: String, maxQueued: Int, now: Date) async throws -> JobRecord
    /// Removes a job that is not running, with its events; `false` when there was none.
    /// - Throws: ``JobError`` `wrongState` for a running job.
    func delete(_ id: String) async throws -> Bool
    /// The job's stored events after `sequence`, in order.
    func events(_ id: String, after sequence: Int) async throws -> [JobEvent]
    /// The job's events after `sequence`, then live ones as they are stored, ending after the
    /// final state event (or when the queue is closed).
    func follow(_ id: String, after sequence: Int) -> JobEventStream
    /// Puts back every running job whose lease ran out; returns their identifiers.
    func reclaimExpired(now: Date) async throws -> [String]
    /// Jobs by state.
    func counts() async throws -> [JobState: Int]
    /// Ends every ``follow(_:after:)`` stream (the server is stopping).
    func closeStreams()
}
