public import Foundation
import GRDB

/// The embedded job queue: one SQLite file (WAL) in the server's data folder, through GRDB.
///
/// Jobs, their events and their attempts are rows; every change is one transaction, so a process
/// killed at any moment leaves the queue as it was before or after a change, never between. SQLite has
/// one writer at a time and no `SKIP LOCKED`: a claim is a single `UPDATE … RETURNING` inside the
/// write transaction, which no other claim can interleave with.
public struct SQLiteJobQueue: JobQueue {
    /// The database file.
    public let path: URL
    let pool: DatabasePool
    let hub: EventHub

    /// Opens (creating or upgrading) the queue at `path`.
    ///
    /// - Throws: ``JobError`` `storage` naming the file when it cannot be opened.
    public init(path: URL, hub: EventHub = EventHub()) throws(JobError) {
        self.path = path
        self.hub = hub
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "aishorts.queue"
            pool = try DatabasePool(path: path.path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw JobError(.storage, "cannot open the job queue \(path.path) (\(JobSpec.reason(error))); check the data folder is writable")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("position", .integer).notNull().unique()
                table.column("state", .text).notNull().indexed()
                table.column("request", .text).notNull()
                table.column("spec", .text)
                table.column("title", .text)
                table.column("stage", .text)
                table.column("fraction", .double).notNull()
                table.column("etaSeconds", .double)
                table.column("attempts", .integer).notNull()
                table.column("createdAt", .double).notNull()
                table.column("startedAt", .double)
                table.column("finishedAt", .double)
                table.column("error", .text)
                table.column("report", .text)
                table.column("idempotencyKey", .text).unique()
                table.column("notBefore", .double)
                table.column("worker", .text)
                table.column("leaseExpires", .double)
                table.column("cancelRequested", .boolean).notNull()
                table.column("expectedMemory", .integer).notNull()
            }
            try db.create(table: "event") { table in
                table.column("job", .text).notNull().references("job", onDelete: .cascade)
                table.column("sequence", .integer).notNull()
                table.column("kind", .text).notNull()
                table.column("data", .text).notNull()
                table.column("time", .double).notNull()
                table.primaryKey(["job", "sequence"])
            }
            try db.create(table: "attempt") { table in
                table.column("job", .text).notNull().references("job", onDelete: .cascade)
                table.column("number", .integer).notNull()
                table.column("worker", .text).notNull()
                table.column("startedAt", .double).notNull()
                table.column("finishedAt", .double)
                table.column("outcome", .text)
                table.primaryKey(["job", "number"])
            }
        }
        return migrator
    }

    public func enqueue(_ job: JobRecord, maxQueued: Int) async throws -> (job: JobRecord, created: Bool) {
        let (result, events) = try await pool.write { db -> ((JobRecord, Bool), [JobEvent]) in
            if let key = job.idempotencyKey, let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE idempotencyKey = ?", arguments: [key]) {
                let existing = try JobRow.record(row)
                guard existing.request == job.request else {
                    throw JobError(.conflict, "the Idempotency-Key \"\(key)\" was used for a different request; use a new key")
                }
                return ((existing, false), [])
            }
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state = 'queued'") ?? 0
            guard waiting < maxQueued || job.state != .queued else {
                throw JobError(.queueFull, "\(waiting) jobs are already waiting (the server's --max-queued); try again later")
            }
            let position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM job") ?? 0) + 1
            try JobRow(job, position: position).insert(db)
            let events = try Self.append(db, job.id, [NewJobEvent(.state, ["state": .text(job.state.rawValue)])], now: job.createdAt)
            return ((job, true), events)
        }
        hub.publish(events)
        return result
    }

    public func job(_ id: String) async throws -> JobRecord? {
        try await pool.read { db in try Self.fetch(db, id) }
    }

    public func list(state: JobState?, cursor: String?, limit: Int) async throws -> JobPage {
        let limit = max(1, min(limit, 200))
        let before = cursor.flatMap(Int.init) ?? Int.max
        return try await pool.read { db in
            var sql = "SELECT * FROM job WHERE position < ?"
            var arguments: StatementArguments = [before]
            if let state {
                sql += " AND state = ?"
                arguments += [state.rawValue]
            }
            sql += " ORDER BY position DESC LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let jobs = try rows.prefix(limit).map(JobRow.record)
            let next: String? = rows.count > limit ? String(rows[limit - 1]["position"] as Int) : nil
            return JobPage(jobs: jobs, nextCursor: next)
        }
    }

    public func claim(worker: String, lease: Duration, memoryAvailable: Int, now: Date) async throws -> JobRecord? {
        let expires = now.addingTimeInterval(lease.inSeconds).timeIntervalSince1970
        let (job, events) = try await pool.write { db -> (JobRecord?, [JobEvent]) in
            guard let row = try Row.fetchOne(db, sql: """
                UPDATE job SET state = 'running', worker = ?, leaseExpires = ?, attempts = attempts + 1, startedAt = ?,
                    stage = NULL, fraction = 0, etaSeconds = NULL, notBefore = NULL
                WHERE id = (SELECT id FROM job WHERE state = 'queued' AND (notBefore IS NULL OR notBefore <= ?)
                            AND expectedMemory <= ? ORDER BY position LIMIT 1)
                RETURNING *
                """, arguments: [worker, expires, now.timeIntervalSince1970, now.timeIntervalSince1970, memoryAvailable])
            else { return (nil, []) }
            let job = try JobRow.record(row)
            try db.execute(sql: "INSERT INTO attempt (job, number, worker, startedAt) VALUES (?, ?, ?, ?)",
                           arguments: [job.id, job.attempts, worker, now.timeIntervalSince1970])
            let events = try Self.append(db, job.id, [NewJobEvent(.state, ["state": .text("running"), "attempt": .integer(job.attempts)])], now: now)
            return (job, events)
        }
        hub.publish(events)
        return job
    }

    public func heartbeat(_ id: String, worker: String, lease: Duration, now: Date) async throws -> LeaseStatus {
        let expires = now.addingTimeInterval(lease.inSeconds).timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(sql: "UPDATE job SET leaseExpires = ? WHERE id = ? AND state = 'running' AND worker = ?",
                           arguments: [expires, id, worker])
            guard db.changesCount == 1 else { return .lost }
            let cancel = try Bool.fetchOne(db, sql: "SELECT cancelRequested FROM job WHERE id = ?", arguments: [id]) ?? false
            return cancel ? .cancelRequested : .held
        }
    }

    public func record(_ id: String, worker: String?, events: [NewJobEvent], progress: JobProgress?, now: Date) async throws -> [JobEvent] {
        let stored = try await pool.write { db -> [JobEvent] in
            if let worker {
                let holds = try Bool.fetchOne(db, sql: "SELECT state = 'running' AND worker = ? FROM job WHERE id = ?", arguments: [worker, id]) ?? false
                guard holds else { return [] }
            }
            if let progress {
                try db.execute(sql: "UPDATE job SET stage = ?, fraction = ?, etaSeconds = ? WHERE id = ?",
                               arguments: [progress.stage, progress.fraction, progress.etaSeconds, id])
            }
            return try Self.append(db, id, events, now: now)
        }
        hub.publish(stored)
        return stored
    }

    public func saveSpec(_ id: String, spec: String, title: String?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE job SET spec = ?, title = COALESCE(?, title) WHERE id = ?", arguments: [spec, title, id])
            guard db.changesCount == 1 else { throw JobError(.notFound, "no job \(id)") }
        }
    }

    public func events(_ id: String, after sequence: Int) async throws -> [JobEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event WHERE job = ? AND sequence > ? ORDER BY sequence", arguments: [id, sequence])
                .map(Self.event)
        }
    }

    public func follow(_ id: String, after sequence: Int) -> JobEventStream {
        JobEventStream(after: sequence, fetch: { after in try await self.events(id, after: after) }, subscribe: { self.hub.subscribe(id) })
    }

    public func counts() async throws -> [JobState: Int] {
        try await pool.read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func closeStreams() {
        hub.close()
    }
}
