public import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// The shared job queue: one PostgreSQL database that any number of API nodes and workers use at once.
///
/// A `Service`: `run()` keeps the connection pool, applies the schema's migrations, and listens for
/// the queue's notifications (new jobs, cancellations, events) until it is cancelled. Operations wait
/// for the migrations, and each gives up after ``timeout`` with ``JobError`` `unavailable` while the
/// database is away (the API answers 503; workers pause and retry).
///
/// Claims are `SELECT … FOR UPDATE SKIP LOCKED` inside the transaction that gives the worker its
/// lease, so concurrent workers never wait on each other's row nor take the same job. Writes of a
/// worker are fenced by `worker = me`. Events are rows numbered under the job's row lock; each
/// change sends `NOTIFY aishorts`, which every node's listener turns into live events for its
/// followers and into wake-ups for its workers.
public struct PostgresJobQueue: JobQueue, Service {
    /// Where the database is.
    public let url: PostgresURL
    /// How long one operation may wait for the database before it fails as `unavailable`.
    public let timeout: Duration
    let client: PostgresClient
    let hub: EventHub
    let relay: PostgresRelay
    let logger: Logger

    /// Creates the queue; nothing connects until ``run()``.
    public init(url: PostgresURL, logger: Logger, timeout: Duration = .seconds(10), hub: EventHub = EventHub()) {
        self.url = url
        self.timeout = timeout
        self.logger = logger
        self.hub = hub
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: poolLogger)
        relay = PostgresRelay()
    }

    /// Calls `handler` on every new job, cancellation and reconnection this node's listener hears,
    /// in order; workers use it to start new jobs at once and stop cancelled ones.
    public func onSignal(_ handler: @escaping @Sendable (QueueSignal) async -> Void) {
        relay.add(handler)
    }

    /// Lets `runner` hear this node's signals: a new job wakes it, a cancellation stops the job if it
    /// runs here, a reconnection makes it look at the queue at once.
    public func wakes(_ runner: JobRunner) {
        onSignal { signal in
            switch signal {
            case .newJob, .reconnected: runner.wake()
            case .cancel(let id): await runner.stop(id)
            }
        }
    }

    /// Whether the listener is connected now (the database is reachable).
    public var isConnected: Bool { relay.isConnected }

    public func enqueue(_ job: JobRecord, maxQueued: Int) async throws -> (job: JobRecord, created: Bool) {
        try await perform { connection in
            if let key = job.idempotencyKey, let existing = try await Self.fetch(connection, key: key) {
                guard existing.request == job.request else {
                    throw JobError(.conflict, "the Idempotency-Key \"\(key)\" was used for a different request; use a new key")
                }
                return (existing, false)
            }
            let waiting = try await Self.count(connection, "SELECT COUNT(*) FROM aishorts_job WHERE state = 'queued'")
            guard waiting < maxQueued || job.state != .queued else {
                throw JobError(.queueFull, "\(waiting) jobs are already waiting (the server's --max-queued); try again later")
            }
            let inserted = try await connection.query("""
                INSERT INTO aishorts_job (id, state, request, spec, title, fraction, attempts, created_at, finished_at,
                    idempotency_key, expected_memory)
                VALUES (\(job.id), \(job.state.rawValue), \(try Self.encode(job.request)), \(job.spec), \(job.title), 0, 0,
                    \(job.createdAt.timeIntervalSince1970), \(job.finishedAt?.timeIntervalSince1970), \(job.idempotencyKey), \(job.expectedMemory))
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                """, logger: logger).collect()
            guard !inserted.isEmpty else {
                // Another node inserted the same key between the look-up and the insert.
                guard let key = job.idempotencyKey, let existing = try await Self.fetch(connection, key: key), existing.request == job.request else {
                    throw JobError(.conflict, "the Idempotency-Key \"\(job.idempotencyKey ?? "")\" was used for a different request; use a new key")
                }
                return (existing, false)
            }
            try await append(connection, job.id, [NewJobEvent(.state, ["state": .text(job.state.rawValue)])], now: job.createdAt)
            if job.state == .queued { try await Self.notify(connection, "n") }
            return (job, true)
        }
    }

    public func job(_ id: String) async throws -> JobRecord? {
        try await perform(transaction: false) { connection in try await Self.fetch(connection, id) }
    }

    public func list(state: JobState?, cursor: String?, limit: Int) async throws -> JobPage {
        let limit = max(1, min(limit, 200))
        let before = cursor.flatMap(Int.init) ?? Int.max
        return try await perform(transaction: false) { connection in
            let rows = try await connection.query("""
                SELECT * FROM aishorts_job WHERE position < \(before)
                    AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                ORDER BY position DESC LIMIT \(limit + 1)
                """, logger: logger).collect()
            let jobs = try rows.prefix(limit).map(Self.record)
            let next: String? = rows.count > limit ? String(try rows[limit - 1].makeRandomAccess()["position"].decode(Int.self)) : nil
            return JobPage(jobs: jobs, nextCursor: next)
        }
    }

    public func claim(worker: String, lease: Duration, memoryAvailable: Int, now: Date) async throws -> JobRecord? {
        let stamp = now.timeIntervalSince1970
        let expires = stamp + lease.inSeconds
        return try await perform { connection in
            let rows = try await connection.query("""
                WITH next AS (
                    SELECT id FROM aishorts_job
                    WHERE state = 'queued' AND (not_before IS NULL OR not_before <= \(stamp)) AND expected_memory <= \(memoryAvailable)
                    ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE aishorts_job AS j SET state = 'running', worker = \(worker), lease_expires = \(expires),
                    attempts = j.attempts + 1, started_at = \(stamp), stage = NULL, fraction = 0, eta_seconds = NULL, not_before = NULL
                FROM next WHERE j.id = next.id
                RETURNING j.*
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let job = try Self.record(row)
            try await connection.query("""
                INSERT INTO aishorts_attempt (job, number, worker, started_at) VALUES (\(job.id), \(job.attempts), \(worker), \(stamp))
                """, logger: logger)
            try await append(connection, job.id, [NewJobEvent(.state, ["state": .text("running"), "attempt": .integer(job.attempts)])], now: now)
            return job
        }
    }

    public func heartbeat(_ id: String, worker: String, lease: Duration, now: Date) async throws -> LeaseStatus {
        let expires = now.timeIntervalSince1970 + lease.inSeconds
        return try await perform(transaction: false) { connection in
            let rows = try await connection.query("""
                UPDATE aishorts_job SET lease_expires = \(expires) WHERE id = \(id) AND state = 'running' AND worker = \(worker)
                RETURNING cancel_requested
                """, logger: logger).collect()
            guard let row = rows.first else { return .lost }
            return try row.decode(Bool.self) ? .cancelRequested : .held
        }
    }

    public func record(_ id: String, worker: String?, events: [NewJobEvent], progress: JobProgress?, now: Date) async throws -> [JobEvent] {
        try await perform { connection in
            if let worker {
                let holds = try await connection.query("""
                    SELECT 1 FROM aishorts_job WHERE id = \(id) AND state = 'running' AND worker = \(worker) FOR UPDATE
                    """, logger: logger).collect()
                guard !holds.isEmpty else { return [] }
            }
            if let progress {
                try await connection.query("""
                    UPDATE aishorts_job SET stage = \(progress.stage), fraction = \(progress.fraction), eta_seconds = \(progress.etaSeconds)
                    WHERE id = \(id)
                    """, logger: logger)
            }
            return try await append(connection, id, events, now: now)
        }
    }

    public func saveSpec(_ id: String, spec: String, title: String?) async throws {
        try await perform(transaction: false) { connection in
            let rows = try await connection.query("""
                UPDATE aishorts_job SET spec = \(spec), title = COALESCE(\(title), title) WHERE id = \(id) RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { throw JobError(.notFound, "no job \(id)") }
        }
    }

    public func events(_ id: String, after sequence: Int) async throws -> [JobEvent] {
        try await perform(transaction: false) { connection in try await Self.events(connection, id, after: sequence, through: nil) }
    }

    public func follow(_ id: String, after sequence: Int) -> JobEventStream {
        JobEventStream(after: sequence, fetch: { after in try await self.events(id, after: after) }, subscribe: { self.hub.subscribe(id) })
    }

    public func counts() async throws -> [JobState: Int] {
        try await perform(transaction: false) { connection in
            var counts: [JobState: Int] = [:]
            for try await (state, count) in try await connection.query("SELECT state, COUNT(*) FROM aishorts_job GROUP BY state", logger: logger)
                .decode((String, Int).self) {
                if let state = JobState(rawValue: state) { counts[state] = count }
            }
            return counts
        }
    }

    public func closeStreams() {
        hub.close()
    }
}

/// What a node's listener hears from the shared queue.
public enum QueueSignal: Sendable, Hashable {
    /// A job was queued (or re-queued): an idle worker may claim it.
    case newJob
    /// A client asked to cancel this running job.
    case cancel(String)
    /// The listener (re)connected: notifications may have been missed, so look at the queue again.
    case reconnected
}
