import AiShortsCore
import ArgumentParser
import Foundation
import Logging

/// `aishorts queue`: looks at a shared PostgreSQL job queue.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Look at a shared PostgreSQL job queue.",
        subcommands: [QueueStatusCommand.self]
    )
}

/// `aishorts queue status`: jobs by state, the workers alive, the oldest queued job.
struct QueueStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Jobs by state, workers alive (id, host, pid, last heartbeat, running jobs), the oldest queued job."
    )

    @Option(help: ArgumentHelp("The shared queue (the password may come from PGPASSWORD).", valueName: "postgres://USER@HOST/DB"))
    var database: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let url: PostgresURL
        do { url = try PostgresURL(database) } catch { throw Runner.fail(error) }
        var logger = Logger(label: "aishorts.queue")
        logger.logLevel = .critical
        let queue = PostgresJobQueue(url: url, logger: logger, timeout: .seconds(10))
        let status: QueueStatus
        do {
            status = try await withThrowingTaskGroup(of: QueueStatus?.self) { group in
                group.addTask {
                    try await queue.run()
                    return nil
                }
                group.addTask { try await queue.status(now: Date()) }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                throw JobError(.unavailable, "the queue's database at \(url.host):\(url.port) could not be read")
            }
        } catch {
            throw Runner.fail(error)
        }
        print(json ? Self.json(status) : Self.text(status))
    }

    static func json(_ status: QueueStatus) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(status)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func text(_ status: QueueStatus) -> String {
        var lines = ["jobs: " + JobState.allCases.map { "\($0.rawValue) \(status.jobs[$0.rawValue] ?? 0)" }.joined(separator: ", ")]
        if let oldest = status.oldestQueued {
            lines.append("oldest queued: \(Int(Date().timeIntervalSince(oldest).rounded())) s ago")
        }
        lines.append("workers alive: \(status.workers.count)")
        for worker in status.workers {
            let seen = Int(Date().timeIntervalSince(worker.lastHeartbeat).rounded())
            let running = worker.running.isEmpty ? "idle" : "running " + worker.running.joined(separator: ", ")
            lines.append("  \(worker.id)  host \(worker.host)  pid \(worker.pid)  \(worker.jobs) at once  seen \(seen) s ago  \(running)")
        }
        return lines.joined(separator: "\n")
    }
}
