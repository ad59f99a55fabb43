// The queue benchmark (`--queue-only`, and part of `make bench`): the queue's own overhead, no video.
// 10,000 no-op jobs (`--queue-jobs N` changes it) go through 1, 2 and 4 worker processes (this binary
// again, with `--queue-worker`), on the SQLite engine (one file, WAL) and on PostgreSQL (a private
// cluster from Debian's postgresql-15, on loopback). A worker claims a job and finishes it at once.
// Reported: jobs per second (claim + finish), p50 and p99 of one claim's latency, and duplicates
// (claims beyond one per job, which must be zero).
import AiShortsCore
import AiShortsTestSupport
import Foundation
import Logging
import Subprocess
import SystemPackage

func queueBench(count: Int) async throws {
    let cluster: PostgresCluster?
    do { cluster = try await PostgresCluster.start() } catch {
        say("queue bench: no PostgreSQL cluster (\(error)); SQLite only")
        cluster = nil
    }
    say("queue bench: \(count) no-op jobs through 1, 2 and 4 worker processes per engine")
    var lines: [String] = []
    for engine in ["sqlite", "postgres"] {
        for workers in [1, 2, 4] {
            let target: String
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-queue-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            if engine == "postgres" {
                guard let cluster else { continue }
                target = try await cluster.makeDatabase().withPasswordForBench
            } else {
                target = folder.appendingPathComponent("queue.sqlite").path
            }
            try await queueBenchFill(engine: engine, target: target, count: count)
            let reports = try await withThrowingTaskGroup(of: QueueWorkerReport.self) { group in
                for index in 0..<workers {
                    group.addTask { try await queueBenchWorker(engine: engine, target: target, name: "bench-\(index)") }
                }
                return try await group.reduce(into: [QueueWorkerReport]()) { $0.append($1) }
            }
            let claims = reports.reduce(0) { $0 + $1.claims }
            let first = reports.map(\.firstClaim).min() ?? 0
            let last = reports.map(\.lastFinish).max() ?? 0
            let latencies = reports.flatMap(\.latencies).sorted()
            let attempts = try await queueBenchAttempts(engine: engine, target: target)
            let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
            let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
            lines.append(String(format: "  %@ %d worker%@: %.0f jobs/s, claim p50 %.2f ms p99 %.2f ms, %d claims for %d jobs, duplicates %d",
                                engine, workers, workers == 1 ? "" : "s", Double(claims) / max(last - first, 0.001), p50 * 1000, p99 * 1000,
                                claims, count, attempts - count))
        }
    }
    await cluster?.stop()
    say("queue bench:")
    for line in lines { print(line) }
}

/// Opens the engine's queue and runs `body` with it (PostgreSQL: its service running meanwhile).
func withBenchQueue<T: Sendable>(engine: String, target: String, _ body: @escaping @Sendable (any JobQueue) async throws -> T) async throws -> T {
    guard engine == "postgres" else { return try await body(try SQLiteJobQueue(path: URL(fileURLWithPath: target))) }
    var logger = Logger(label: "bench.queue")
    logger.logLevel = .error
    let queue = PostgresJobQueue(url: try PostgresURL(target), logger: logger, timeout: .seconds(60))
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await queue.run()
            return nil
        }
        group.addTask { try await body(queue) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        throw JobError(.storage, "the queue stopped")
    }
}

func queueBenchFill(engine: String, target: String, count: Int) async throws {
    try await withBenchQueue(engine: engine, target: target) { queue in
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<count {
            let job = JobRecord(id: UUID().uuidString.lowercased(), request: JobRequest(source: .script("No-op \(index).")), spec: "title: T\nscenes: [x]\n",
                                title: "T", createdAt: start.addingTimeInterval(Double(index) / 1000), idempotencyKey: nil, expectedMemory: 1)
            _ = try await queue.enqueue(job, maxQueued: count + 1)
        }
    }
}

func queueBenchAttempts(engine: String, target: String) async throws -> Int {
    try await withBenchQueue(engine: engine, target: target) { queue in
        var total = 0
        var cursor: String?
        repeat {
            let page = try await queue.list(state: nil, cursor: cursor, limit: 200)
            total += page.jobs.reduce(0) { $0 + $1.attempts }
            cursor = page.nextCursor
        } while cursor != nil
        return total
    }
}

/// What one worker process did.
struct QueueWorkerReport: Codable, Sendable {
    var claims: Int
    var firstClaim: Double
    var lastFinish: Double
    var latencies: [Double]
}

/// Runs this binary as a worker process and reads its report (its one line of JSON).
func queueBenchWorker(engine: String, target: String, name: String) async throws -> QueueWorkerReport {
    let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let result = try await Subprocess.run(.path(FilePath(me)), arguments: ["--queue-worker", engine, target, name],
                                          output: .string(limit: 16 << 20), error: .string(limit: 1 << 16))
    guard result.terminationStatus.isSuccess, let line = result.standardOutput.split(separator: "\n").last else {
        throw JobError(.storage, "queue bench worker \(name) failed: \(result.standardError)")
    }
    return try JSONDecoder().decode(QueueWorkerReport.self, from: Data(line.utf8))
}

/// The worker process: claims and finishes jobs until none is left, then prints its report.
func queueWorkerMain(engine: String, target: String, name: String) async throws {
    let report = try await withBenchQueue(engine: engine, target: target) { queue in
        var report = QueueWorkerReport(claims: 0, firstClaim: 0, lastFinish: 0, latencies: [])
        let clock = ContinuousClock()
        while true {
            let started = clock.now
            guard let job = try await queue.claim(worker: name, lease: .seconds(30), memoryAvailable: .max, now: Date()) else { break }
            report.latencies.append((clock.now - started).inSeconds)
            if report.claims == 0 { report.firstClaim = Date().timeIntervalSince1970 }
            report.claims += 1
            _ = try await queue.finish(job.id, worker: name, outcome: .succeeded(report: "{}"), now: Date())
            report.lastFinish = Date().timeIntervalSince1970
        }
        return report
    }
    print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
}

extension PostgresURL {
    /// The URL with its password, for a child process's arguments (the bench's private cluster only).
    var withPasswordForBench: String {
        "postgres://\(user):\(password ?? "")@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}
