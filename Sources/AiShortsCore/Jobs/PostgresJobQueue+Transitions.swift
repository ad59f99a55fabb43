public import Foundation
import PostgresNIO

extension PostgresJobQueue {
    public func finish(_ id: String, worker: String, outcome: JobOutcome, now: Date) async throws -> Bool {
        let stamp = now.timeIntervalSince1970
        return try await perform { connection in
            // The row lock fences the worker: a reclaim or another worker's claim waits or is seen.
            let rows = try await connection.query("""
                SELECT attempts FROM aishorts_job WHERE id = \(id) AND state = 'running' AND worker = \(worker) FOR UPDATE
                """, logger: logger).collect()
            guard let attempts = try rows.first?.decode(Int.self) else { return false }
            let name: String
            var fields: [String: JSONScalar]
            switch outcome {
            case .succeeded(let report):
                name = "succeeded"
                fields = ["state": .text("succeeded")]
                try await connection.query("""
                    UPDATE aishorts_job SET state = 'succeeded', report = \(report), error = NULL, finished_at = \(stamp), fraction = 1,
                        eta_seconds = 0, worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                    """, logger: logger)
            case .draft:
                name = "draft"
                fields = ["state": .text("draft")]
                try await connection.query("""
                    UPDATE aishorts_job SET state = 'draft', finished_at = \(stamp), fraction = 0, eta_seconds = NULL,
                        worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                    """, logger: logger)
            case .failed(let failure, let retryAt):
                let error = try Self.encode(failure)
                fields = ["error": .text(failure.message), "code": .text(failure.code)]
                if let retryAt {
                    name = "retrying"
                    fields["state"] = .text("queued")
                    fields["retry_at"] = .number(retryAt.timeIntervalSince1970)
                    try await connection.query("""
                        UPDATE aishorts_job SET state = 'queued', error = \(error), not_before = \(retryAt.timeIntervalSince1970),
                            worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                        """, logger: logger)
                } else {
                    name = "failed"
                    fields["state"] = .text("failed")
                    try await connection.query("""
                        UPDATE aishorts_job SET state = 'failed', error = \(error), finished_at = \(stamp),
                            worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                        """, logger: logger)
                }
            case .cancelled:
                name = "cancelled"
                fields = ["state": .text("cancelled")]
                try await connection.query("""
                    UPDATE aishorts_job SET state = 'cancelled', finished_at = \(stamp), cancel_requested = false,
                        worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                    """, logger: logger)
            case .requeued:
                name = "requeued"
                fields = ["state": .text("queued"), "reason": .text("the worker stopped; the job runs again")]
                try await connection.query("""
                    UPDATE aishorts_job SET state = 'queued', worker = NULL, lease_expires = NULL, stage = NULL WHERE id = \(id)
                    """, logger: logger)
            }
            try await connection.query("""
                UPDATE aishorts_attempt SET finished_at = \(stamp), outcome = \(name) WHERE job = \(id) AND number = \(attempts)
                """, logger: logger)
            try await append(connection, id, [NewJobEvent(.state, fields)], now: now)
            if fields["state"] == .text("queued") { try await Self.notify(connection, "n") }
            return true
        }
    }

    public func cancel(_ id: String, now: Date) async throws -> JobRecord {
        try await perform { connection in
            guard let job = try await Self.fetch(connection, id, lock: true) else { throw JobError(.notFound, "no job \(id)") }
            switch job.state {
            case .queued, .draft:
                try await connection.query("""
                    UPDATE aishorts_job SET state = 'cancelled', finished_at = \(now.timeIntervalSince1970), not_before = NULL WHERE id = \(id)
                    """, logger: logger)
                try await append(connection, id, [NewJobEvent(.state, ["state": .text("cancelled")])], now: now)
            case .running:
                try await connection.query("UPDATE aishorts_job SET cancel_requested = true WHERE id = \(id)", logger: logger)
                // The worker holding it may be on another machine: its node's listener stops it.
                try await Self.notify(connection, "c \(id)")
            case .succeeded, .failed, .cancelled:
                throw JobError(.wrongState, "job \(id) is already \(job.state.rawValue); nothing to cancel")
            }
            return try await Self.fetch(connection, id) ?? job
        }
    }

    public func requeue(_ id: String, maxQueued: Int, now: Date) async throws -> JobRecord {
        try await perform { connection in
            guard let job = try await Self.fetch(connection, id, lock: true) else { throw JobError(.notFound, "no job \(id)") }
            guard job.state != .queued, job.state != .running else {
                throw JobError(.wrongState, "job \(id) is \(job.state.rawValue); wait until it finishes, or cancel it first")
            }
            let waiting = try await Self.count(connection, "SELECT COUNT(*) FROM aishorts_job WHERE state = 'queued'")
            guard waiting < maxQueued else {
                throw JobError(.queueFull, "\(waiting) jobs are already waiting (the server's --max-queued); try again later")
            }
            try await connection.query("""
                UPDATE aishorts_job SET state = 'queued', error = NULL, report = NULL, not_before = NULL, finished_at = NULL,
                    started_at = NULL, cancel_requested = false, stage = NULL, fraction = 0, eta_seconds = NULL,
                    request = \(try Self.encode(SQLiteJobQueue.rendering(job.request))) WHERE id = \(id)
                """, logger: logger)
            try await append(connection, id, [NewJobEvent(.state, ["state": .text("queued")])], now: now)
            try await Self.notify(connection, "n")
            return try await Self.fetch(connection, id) ?? job
        }
    }

    public func delete(_ id: String) async throws -> Bool {
        try await perform { connection in
            guard let job = try await Self.fetch(connection, id, lock: true) else { return false }
            guard job.state != .running else {
                throw JobError(.wrongState, "job \(id) is running; cancel it first, then delete it")
            }
            // Events and attempts go with the job (ON DELETE CASCADE).
            try await connection.query("DELETE FROM aishorts_job WHERE id = \(id)", logger: logger)
            return true
        }
    }

    public func reclaimExpired(now: Date) async throws -> [String] {
        let stamp = now.timeIntervalSince1970
        return try await perform { connection in
            // SKIP LOCKED: a job whose worker is finishing it right now is not taken from under it.
            let rows = try await connection.query("""
                UPDATE aishorts_job SET state = 'queued', worker = NULL, lease_expires = NULL, stage = NULL
                WHERE id IN (SELECT id FROM aishorts_job WHERE state = 'running' AND lease_expires < \(stamp) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, logger: logger).collect()
            let ids = try rows.map { try $0.decode(String.self) }
            for id in ids {
                try await connection.query("""
                    UPDATE aishorts_attempt SET finished_at = \(stamp), outcome = 'lost' WHERE job = \(id) AND finished_at IS NULL
                    """, logger: logger)
                try await append(connection, id, [NewJobEvent(.state, [
                    "state": .text("queued"), "reason": .text("its worker stopped answering; the job runs again"),
                ])], now: now)
            }
            if !ids.isEmpty { try await Self.notify(connection, "n") }
            return ids
        }
    }
}
