public import Foundation
import PostgresNIO

/// The shared queue at a glance, for `aishorts queue status`.
public struct QueueStatus: Sendable, Hashable, Codable {
    /// One worker process that said it is alive.
    public struct Worker: Sendable, Hashable, Codable {
        /// Its name in the queue (`HOST:PID:TOKEN`).
        public var id: String
        /// The machine.
        public var host: String
        /// Its process id there.
        public var pid: Int
        /// Jobs it makes at once.
        public var jobs: Int
        /// When it last said it is alive.
        public var lastHeartbeat: Date
        /// The jobs it runs now.
        public var running: [String]
    }

    /// Jobs by state (every state, zero included).
    public var jobs: [String: Int]
    /// Workers heard from within the last minute, by id.
    public var workers: [Worker]
    /// When the job waiting longest was queued, if any waits.
    public var oldestQueued: Date?
}

extension PostgresJobQueue {
    /// Says that `worker` (on `host`, process `pid`, making `jobs` at once) is alive now.
    public func reportAlive(worker: String, host: String, pid: Int, jobs: Int, startedAt: Date, now: Date) async throws {
        try await perform(transaction: false) { connection in
            try await connection.query("""
                INSERT INTO aishorts_worker (id, host, pid, jobs, started_at, last_seen)
                VALUES (\(worker), \(host), \(pid), \(jobs), \(startedAt.timeIntervalSince1970), \(now.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET last_seen = EXCLUDED.last_seen, jobs = EXCLUDED.jobs
                """, logger: connection.logger)
            // Rows of workers silent for an hour are forgotten, by whichever worker is alive.
            try await connection.query("DELETE FROM aishorts_worker WHERE last_seen < \(now.timeIntervalSince1970 - 3600)", logger: connection.logger)
        }
    }

    /// Removes `worker`'s row (it stops).
    public func removeWorker(_ worker: String) async throws {
        try await perform(transaction: false) { connection in
            _ = try await connection.query("DELETE FROM aishorts_worker WHERE id = \(worker)", logger: connection.logger)
        }
    }

    /// Jobs by state, the workers alive (heard from within `alive`), the oldest queued job.
    public func status(now: Date, alive: Duration = .seconds(60)) async throws -> QueueStatus {
        let counts = try await counts()
        let since = now.timeIntervalSince1970 - alive.inSeconds
        return try await perform(transaction: false) { connection in
            var running: [String: [String]] = [:]
            for try await (id, worker) in try await connection.query("""
                SELECT id, worker FROM aishorts_job WHERE state = 'running' AND worker IS NOT NULL ORDER BY id
                """, logger: connection.logger).decode((String, String).self) {
                running[worker, default: []].append(id)
            }
            var workers: [QueueStatus.Worker] = []
            for try await (id, host, pid, jobs, seen) in try await connection.query("""
                SELECT id, host, pid, jobs, last_seen FROM aishorts_worker WHERE last_seen >= \(since) ORDER BY host, pid
                """, logger: connection.logger).decode((String, String, Int, Int, Double).self) {
                workers.append(.init(id: id, host: host, pid: pid, jobs: jobs, lastHeartbeat: Date(timeIntervalSince1970: seen), running: running[id] ?? []))
            }
            let oldest = try await connection.query("SELECT MIN(created_at) FROM aishorts_job WHERE state = 'queued'", logger: connection.logger)
                .collect().first?.decode(Double?.self)
            var jobs: [String: Int] = [:]
            for state in JobState.allCases { jobs[state.rawValue] = counts[state] ?? 0 }
            return QueueStatus(jobs: jobs, workers: workers, oldestQueued: oldest.map(Date.init(timeIntervalSince1970:)))
        }
    }
}
