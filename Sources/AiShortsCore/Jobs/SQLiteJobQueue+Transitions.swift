public import Foundation
import GRDB

extension SQLiteJobQueue {
    public func finish(_ id: String, worker: String, outcome: JobOutcome, now: Date) async throws -> Bool {
        let stamp = now.timeIntervalSince1970
        let events = try await pool.write { db -> [JobEvent]? in
            guard let job = try Self.fetch(db, id), job.state == .running, job.worker == worker else { return nil }
            var sql: String
            var arguments: StatementArguments
            var fields: [String: JSONScalar]
            let name: String
            switch outcome {
            case .succeeded(let report):
                name = "succeeded"
                sql = "state = 'succeeded', report = ?, error = NULL, finishedAt = ?, fraction = 1, etaSeconds = 0"
                arguments = [report, stamp]
                fields = ["state": .text("succeeded")]
            case .draft:
                name = "draft"
                sql = "state = 'draft', finishedAt = ?, fraction = 0, etaSeconds = NULL"
                arguments = [stamp]
                fields = ["state": .text("draft")]
            case .failed(let failure, let retryAt):
                let error = String(decoding: try JSONEncoder().encode(failure), as: UTF8.self)
                fields = ["error": .text(failure.message), "code": .text(failure.code)]
                if let retryAt {
                    name = "retrying"
                    sql = "state = 'queued', error = ?, notBefore = ?"
                    arguments = [error, retryAt.timeIntervalSince1970]
                    fields["state"] = .text("queued")
                    fields["retry_at"] = .number(retryAt.timeIntervalSince1970)
                } else {
                    name = "failed"
                    sql = "state = 'failed', error = ?, finishedAt = ?"
                    arguments = [error, stamp]
                    fields["state"] = .text("failed")
                }
            case .cancelled:
                name = "cancelled"
                sql = "state = 'cancelled', finishedAt = ?, cancelRequested = 0"
                arguments = [stamp]
                fields = ["state": .text("cancelled")]
            case .requeued:
                name = "requeued"
                sql = "state = 'queued'"
                arguments = []
                fields = ["state": .text("queued"), "reason": .text("the worker stopped; the job runs again")]
            }
            try db.execute(sql: "UPDATE job SET \(sql), worker = NULL, leaseExpires = NULL, stage = NULL WHERE id = ?",
                           arguments: arguments + [id])
            try db.execute(sql: "UPDATE attempt SET finishedAt = ?, outcome = ? WHERE job = ? AND number = ?",
                           arguments: [stamp, name, id, job.attempts])
            return try Self.append(db, id, [NewJobEvent(.state, fields)], now: now)
        }
        guard let events else { return false }
        hub.publish(events)
        return true
    }

    public func cancel(_ id: String, now: Date) async throws -> JobRecord {
        let (job, events) = try await pool.write { db -> (JobRecord, [JobEvent]) in
            guard let job = try Self.fetch(db, id) else { throw JobError(.notFound, "no job \(id)") }
            switch job.state {
            case .queued, .draft:
                try db.execute(sql: "UPDATE job SET state = 'cancelled', finishedAt = ?, notBefore = NULL WHERE id = ?",
                               arguments: [now.timeIntervalSince1970, id])
                let events = try Self.append(db, id, [NewJobEvent(.state, ["state": .text("cancelled")])], now: now)
                return (try Self.fetch(db, id) ?? job, events)
            case .running:
                try db.execute(sql: "UPDATE job SET cancelRequested = 1 WHERE id = ?", arguments: [id])
                return (try Self.fetch(db, id) ?? job, [])
            case .succeeded, .failed, .cancelled:
                throw JobError(.wrongState, "job \(id) is already \(job.state.rawValue); nothing to cancel")
            }
        }
        hub.publish(events)
        return job
    }

    public func requeue(_ id: String, maxQueued: Int, now: Date) async throws -> JobRecord {
        let (job, events) = try await pool.write { db -> (JobRecord, [JobEvent]) in
            guard let job = try Self.fetch(db, id) else { throw JobError(.notFound, "no job \(id)") }
            guard job.state != .queued, job.state != .running else {
                throw JobError(.wrongState, "job \(id) is \(job.state.rawValue); wait until it finishes, or cancel it first")
            }
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state = 'queued'") ?? 0
            guard waiting < maxQueued else {
                throw JobError(.queueFull, "\(waiting) jobs are already waiting (the server's --max-queued); try again later")
            }
            try db.execute(sql: """
                UPDATE job SET state = 'queued', error = NULL, report = NULL, notBefore = NULL, finishedAt = NULL,
                    startedAt = NULL, cancelRequested = 0, stage = NULL, fraction = 0, etaSeconds = NULL,
                    request = ? WHERE id = ?
                """, arguments: [Self.encode(Self.rendering(job.request)), id])
            let events = try Self.append(db, id, [NewJobEvent(.state, ["state": .text("queued")])], now: now)
            return (try Self.fetch(db, id) ?? job, events)
        }
        hub.publish(events)
        return job
    }

    /// A draft that goes back to the queue is rendered, not drafted again.
    static func rendering(_ request: JobRequest) -> JobRequest {
        var request = request
        request.draft = false
        return request
    }

    public func delete(_ id: String) async throws -> Bool {
        try await pool.write { db in
            guard let job = try Self.fetch(db, id) else { return false }
            guard job.state != .running else {
                throw JobError(.wrongState, "job \(id) is running; cancel it first, then delete it")
            }
            try db.execute(sql: "DELETE FROM event WHERE job = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM attempt WHERE job = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM job WHERE id = ?", arguments: [id])
            return true
        }
    }

    public func reclaimExpired(now: Date) async throws -> [String] {
        let (ids, events) = try await pool.write { db -> ([String], [JobEvent]) in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM job WHERE state = 'running' AND leaseExpires < ?",
                                          arguments: [now.timeIntervalSince1970])
            var events: [JobEvent] = []
            for id in ids {
                try db.execute(sql: "UPDATE job SET state = 'queued', worker = NULL, leaseExpires = NULL, stage = NULL WHERE id = ?",
                               arguments: [id])
                try db.execute(sql: "UPDATE attempt SET finishedAt = ?, outcome = 'lost' WHERE job = ? AND finishedAt IS NULL",
                               arguments: [now.timeIntervalSince1970, id])
                events += try Self.append(db, id, [NewJobEvent(.state, ["state": .text("queued"), "reason": .text("its worker stopped answering; the job runs again")])], now: now)
            }
            return (ids, events)
        }
        hub.publish(events)
        return ids
    }

    /// Puts back every running job at once: at start-up, when this process is the only user of the
    /// queue, a running job's worker is certainly gone.
    public func reclaimAll(now: Date) async throws -> [String] {
        try await reclaimExpired(now: .distantFuture)
    }

    // MARK: - Rows

    static func fetch(_ db: Database, _ id: String) throws -> JobRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobRow.record)
    }

    static func append(_ db: Database, _ id: String, _ events: [NewJobEvent], now: Date) throws -> [JobEvent] {
        guard !events.isEmpty else { return [] }
        var sequence = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM event WHERE job = ?", arguments: [id]) ?? 0
        return try events.map { event in
            sequence += 1
            try db.execute(sql: "INSERT INTO event (job, sequence, kind, data, time) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, sequence, event.kind.rawValue, event.data, now.timeIntervalSince1970])
            return JobEvent(job: id, sequence: sequence, kind: event.kind, data: event.data, time: now)
        }
    }

    static func event(_ row: Row) -> JobEvent {
        JobEvent(job: row["job"], sequence: row["sequence"], kind: JobEvent.Kind(rawValue: row["kind"]) ?? .note,
                 data: row["data"], time: Date(timeIntervalSince1970: row["time"]))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The `job` table's columns.
struct JobRow: Codable, PersistableRecord {
    static let databaseTableName = "job"
    var id: String
    var position: Int
    var state: String
    var request: String
    var spec: String?
    var title: String?
    var stage: String?
    var fraction: Double
    var etaSeconds: Double?
    var attempts: Int
    var createdAt: Double
    var startedAt: Double?
    var finishedAt: Double?
    var error: String?
    var report: String?
    var idempotencyKey: String?
    var notBefore: Double?
    var worker: String?
    var leaseExpires: Double?
    var cancelRequested: Bool
    var expectedMemory: Int

    init(_ job: JobRecord, position: Int) throws {
        id = job.id
        self.position = position
        state = job.state.rawValue
        request = try SQLiteJobQueue.encode(job.request)
        spec = job.spec
        title = job.title
        stage = job.stage
        fraction = job.fraction
        etaSeconds = job.etaSeconds
        attempts = job.attempts
        createdAt = job.createdAt.timeIntervalSince1970
        startedAt = job.startedAt?.timeIntervalSince1970
        finishedAt = job.finishedAt?.timeIntervalSince1970
        error = try job.error.map(SQLiteJobQueue.encode)
        report = job.report
        idempotencyKey = job.idempotencyKey
        notBefore = job.notBefore?.timeIntervalSince1970
        worker = job.worker
        leaseExpires = job.leaseExpires?.timeIntervalSince1970
        cancelRequested = job.cancelRequested
        expectedMemory = job.expectedMemory
    }

    static func record(_ row: Row) throws -> JobRecord {
        let decoder = JSONDecoder()
        let request = try decoder.decode(JobRequest.self, from: Data((row["request"] as String).utf8))
        var job = JobRecord(id: row["id"], request: request, spec: row["spec"], title: row["title"],
                            createdAt: Date(timeIntervalSince1970: row["createdAt"]), idempotencyKey: row["idempotencyKey"],
                            expectedMemory: row["expectedMemory"])
        job.state = JobState(rawValue: row["state"]) ?? .failed
        job.stage = row["stage"]
        job.fraction = row["fraction"]
        job.etaSeconds = row["etaSeconds"]
        job.attempts = row["attempts"]
        job.startedAt = (row["startedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        job.finishedAt = (row["finishedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        job.error = try (row["error"] as String?).map { try decoder.decode(JobFailure.self, from: Data($0.utf8)) }
        job.report = row["report"]
        job.notBefore = (row["notBefore"] as Double?).map(Date.init(timeIntervalSince1970:))
        job.worker = row["worker"]
        job.leaseExpires = (row["leaseExpires"] as Double?).map(Date.init(timeIntervalSince1970:))
        job.cancelRequested = row["cancelRequested"]
        return job
    }
}
