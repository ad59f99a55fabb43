import Foundation
import PostgresNIO

extension PostgresJobQueue {
    /// Runs `body` on a pooled connection (in one transaction unless told otherwise) once the schema
    /// is migrated, giving up after ``timeout``; database errors become ``JobError``s.
    func perform<T: Sendable>(transaction: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = client
        let relay = relay
        let logger = logger
        do {
            let value = try await Deadline.run(within: timeout) {
                while !relay.isMigrated { try await Task.sleep(for: .milliseconds(20)) }
                if transaction {
                    return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
                }
                return try await client.withConnection { connection in try await body(connection) }
            }
            guard let value else {
                throw JobError(.unavailable, "the queue's database at \(url.host):\(url.port) did not answer within \(Int(timeout.inSeconds)) s; try again shortly")
            }
            return value
        } catch {
            throw translate(error)
        }
    }

    /// A database error as the ``JobError`` a client or a log shows.
    func translate(_ error: any Error) -> any Error {
        switch error {
        case is JobError, is CancellationError:
            return error
        case let error as PostgresTransactionError:
            return translate(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? JobError(.storage, "a transaction failed"))
        case let error as PSQLError:
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                let message = error.serverInfo?[.message] ?? "an error"
                // 08: connection exceptions; 57: the server is shutting down or restarting; 53300: too many connections.
                if state.hasPrefix("08") || state.hasPrefix("57") || state == "53300" {
                    return JobError(.unavailable, "the queue's database at \(url.host):\(url.port) is unavailable (\(message)); try again shortly")
                }
                return JobError(.storage, "the queue's database refused a query: \(message) (SQLSTATE \(state))")
            }
            return JobError(.unavailable, "the queue's database at \(url.host):\(url.port) cannot be reached (\(error.code)); try again shortly")
        default:
            return JobError(.storage, "the queue's database failed: \(String(describing: error))")
        }
    }

    static func fetch(_ connection: PostgresConnection, _ id: String, lock: Bool = false) async throws -> JobRecord? {
        let query: PostgresQuery = lock ? "SELECT * FROM aishorts_job WHERE id = \(id) FOR UPDATE" : "SELECT * FROM aishorts_job WHERE id = \(id)"
        return try await connection.query(query, logger: connection.logger).collect().first.map(record)
    }

    static func fetch(_ connection: PostgresConnection, key: String) async throws -> JobRecord? {
        try await connection.query("SELECT * FROM aishorts_job WHERE idempotency_key = \(key)", logger: connection.logger).collect().first.map(record)
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int {
        try await connection.query(query, logger: connection.logger).collect().first?.decode(Int.self) ?? 0
    }

    static func notify(_ connection: PostgresConnection, _ payload: String) async throws {
        try await connection.query("SELECT pg_notify('aishorts', \(payload))", logger: connection.logger)
    }

    /// Stores events under the job's row lock (which numbers them without gaps or duplicates across
    /// nodes) and announces them; returns them.
    @discardableResult
    func append(_ connection: PostgresConnection, _ id: String, _ events: [NewJobEvent], now: Date) async throws -> [JobEvent] {
        guard !events.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE aishorts_job SET event_count = event_count + \(events.count) WHERE id = \(id) RETURNING event_count
            """, logger: logger).collect()
        guard let last = try rows.first?.decode(Int.self) else { return [] }
        let first = last - events.count + 1
        var stored: [JobEvent] = []
        for (offset, event) in events.enumerated() {
            let sequence = first + offset
            try await connection.query("""
                INSERT INTO aishorts_event (job, sequence, kind, data, time)
                VALUES (\(id), \(sequence), \(event.kind.rawValue), \(event.data), \(now.timeIntervalSince1970))
                """, logger: logger)
            stored.append(JobEvent(job: id, sequence: sequence, kind: event.kind, data: event.data, time: now))
        }
        // Delivered at commit, to every node listening (this one included): the payload is small and
        // fixed in size; a node that follows the job reads the events themselves.
        try await Self.notify(connection, "e \(id) \(first) \(last)")
        return stored
    }

    static func events(_ connection: PostgresConnection, _ id: String, after sequence: Int, through last: Int?) async throws -> [JobEvent] {
        let rows = try await connection.query("""
            SELECT job, sequence, kind, data, time FROM aishorts_event
            WHERE job = \(id) AND sequence > \(sequence) AND (\(last)::integer IS NULL OR sequence <= \(last)) ORDER BY sequence
            """, logger: connection.logger).collect()
        return try rows.map { row in
            let (job, sequence, kind, data, time) = try row.decode((String, Int, String, String, Double).self)
            return JobEvent(job: job, sequence: sequence, kind: JobEvent.Kind(rawValue: kind) ?? .note, data: data, time: Date(timeIntervalSince1970: time))
        }
    }

    static func record(_ row: PostgresRow) throws -> JobRecord {
        let row = row.makeRandomAccess()
        let decoder = JSONDecoder()
        let request = try decoder.decode(JobRequest.self, from: Data(try row["request"].decode(String.self).utf8))
        func date(_ column: String) throws -> Date? { try row[column].decode(Double?.self).map(Date.init(timeIntervalSince1970:)) }
        var job = JobRecord(id: try row["id"].decode(String.self), request: request, spec: try row["spec"].decode(String?.self),
                            title: try row["title"].decode(String?.self), createdAt: try date("created_at") ?? Date(timeIntervalSince1970: 0),
                            idempotencyKey: try row["idempotency_key"].decode(String?.self), expectedMemory: try row["expected_memory"].decode(Int.self))
        job.state = JobState(rawValue: try row["state"].decode(String.self)) ?? .failed
        job.stage = try row["stage"].decode(String?.self)
        job.fraction = try row["fraction"].decode(Double.self)
        job.etaSeconds = try row["eta_seconds"].decode(Double?.self)
        job.attempts = try row["attempts"].decode(Int.self)
        job.startedAt = try date("started_at")
        job.finishedAt = try date("finished_at")
        job.error = try row["error"].decode(String?.self).map { try decoder.decode(JobFailure.self, from: Data($0.utf8)) }
        job.report = try row["report"].decode(String?.self)
        job.notBefore = try date("not_before")
        job.worker = try row["worker"].decode(String?.self)
        job.leaseExpires = try date("lease_expires")
        job.cancelRequested = try row["cancel_requested"].decode(Bool.self)
        return job
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
