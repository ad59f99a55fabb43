import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

extension PostgresJobQueue {
    /// Keeps the connection pool, migrates the schema, then listens until cancelled or shutdown;
    /// see the type's discussion.
    /// - Throws: ``JobError`` `storage` when the schema cannot be migrated for a reason other than the
    ///   database being away (a newer schema, missing rights).
    public func run() async throws {
        // The pool runs in a task of its own, cancelled but not awaited when the queue stops: a
        // connection attempt wedged inside postgres-nio (seen at the start of a full test run on a
        // saturated machine: no TCP connection was ever made) would otherwise hold the queue's
        // shutdown, and with it the process's, forever. Operations have their own time limit.
        let pool = Task { await client.run() }
        defer { pool.cancel() }
        try await cancelWhenGracefulShutdown {
            try await migrateWhenReachable()
            await listen()
        }
    }

    /// Applies the migrations, retrying with backoff while the database cannot be reached.
    func migrateWhenReachable() async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                let applied = try await PostgresSchema.migrate(client, logger: logger)
                if !applied.isEmpty { logger.notice("queue database \(url): applied schema migration(s) \(applied.map(String.init).joined(separator: ", "))") }
                relay.markMigrated()
                return
            } catch {
                let problem = translate(error)
                guard let jobError = problem as? JobError, jobError.code == .unavailable else { throw problem }
                logger.warning("queue database \(url) unreachable (\(jobError.message)); retrying in \(delay)")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// One connection LISTENs on `aishorts`; when it drops, it reconnects with backoff, and tells
    /// the workers (`reconnected`: look at the queue, notifications may have been missed).
    func listen() async {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: "aishorts") { notifications in
                        if relay.setConnected(true) { logger.notice("queue database \(url): listening") }
                        await relay.signal(.reconnected)
                        await catchUp()
                        for try await notification in notifications {
                            await handle(notification.payload)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                if relay.setConnected(false) {
                    delay = .milliseconds(200)
                    logger.warning("queue database \(url) went away (\(translate(error))); workers pause and retry")
                }
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        _ = relay.setConnected(false)
    }

    /// `e JOB FIRST LAST`: events stored; `n`: a job to claim; `c JOB`: cancel a running job.
    private func handle(_ payload: String) async {
        let parts = payload.split(separator: " ").map(String.init)
        switch parts.first {
        case "e" where parts.count == 4:
            guard let first = Int(parts[2]), let last = Int(parts[3]), hub.followedJobs.contains(parts[1]) else { return }
            await publish(parts[1], after: relay.readFrom(parts[1], first: first), through: last)
        case "n":
            await relay.signal(.newJob)
        case "c" where parts.count == 2:
            await relay.signal(.cancel(parts[1]))
        default:
            logger.debug("queue notification not understood: \(payload)")
        }
    }

    /// Reads the events of followed jobs stored while the listener was away.
    private func catchUp() async {
        for (job, after) in relay.resumePoints(followed: hub.followedJobs) {
            await publish(job, after: after, through: nil)
        }
    }

    private func publish(_ job: String, after: Int, through last: Int?) async {
        guard let events = try? await perform(transaction: false, { connection in
            try await Self.events(connection, job, after: after, through: last)
        }), let newest = events.last?.sequence else { return }
        hub.publish(events)
        relay.published(job, through: newest, followed: hub.followedJobs)
    }
}
