import AiShortsCore
import AiShortsTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// What only a shared queue does: nodes see each other's events and signals; the schema migrates once.
@Suite("PostgreSQL job queue", .postgresCluster, .timeLimit(.minutes(5)))
struct PostgresJobQueueTests {
    /// Runs `body` with one queue per node, all on one new database, their services running.
    static func withNodes(_ count: Int, url: PostgresURL? = nil, timeout: Duration = .seconds(60),
                          _ body: ([PostgresJobQueue]) async throws -> Void) async throws {
        let database: PostgresURL
        if let url { database = url } else { database = try await PostgresClusterTrait.cluster().makeDatabase() }
        let nodes = (0..<count).map { PostgresJobQueue(url: database, logger: quietLogger("test.node\($0)"), timeout: timeout) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in nodes { group.addTask { try await node.run() } }
            defer { group.cancelAll() }
            try await body(nodes)
        }
    }

    /// Waits until `condition` holds, polling; fails after `deadline`, a safety net against a hang, not
    /// a speed limit: at the start of a full run on 2 cores a node's first connection and LISTEN have
    /// taken over 20 s (the pool's connection attempts time out at 5 s and back off).
    static func eventually(_ what: String, deadline: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now + deadline
        while try await !condition() {
            guard ContinuousClock.now < end else { throw PostgresClusterError("timed out waiting: \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aFollowerOnOneNodeSeesEventsStoredByAnother() async throws {
        try await Self.withNodes(2) { nodes in
            let (api, worker) = (nodes[0], nodes[1])
            let job = JobQueueContractTests.job()
            _ = try await api.enqueue(job, maxQueued: 10)
            let follower = api.follow(job.id, after: 0)
            async let received: [JobEvent] = follower.reduce(into: []) { $0.append($1) }
            let claimed = try await worker.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Date())
            #expect(claimed?.id == job.id)
            for index in 1...3 {
                _ = try await worker.record(job.id, worker: "w", events: [NewJobEvent(.note, ["message": .text("step \(index)")])],
                                            progress: nil, now: Date())
            }
            #expect(try await worker.finish(job.id, worker: "w", outcome: .succeeded(report: "{}"), now: Date()))
            let events = try await received
            #expect(events.map(\.sequence) == Array(1...6), "queued, running, three notes, succeeded, each once and in order")
            #expect(events.last?.isFinal == true)
        }
    }

    @Test func newJobsAndCancellationsReachEveryNode() async throws {
        try await Self.withNodes(2) { nodes in
            let (api, worker) = (nodes[0], nodes[1])
            let heard = Mutex<[QueueSignal]>([])
            worker.onSignal { signal in heard.withLock { $0.append(signal) } }
            try await Self.eventually("the worker node listens") { worker.isConnected && api.isConnected }
            let job = JobQueueContractTests.job()
            _ = try await api.enqueue(job, maxQueued: 10)
            try await Self.eventually("the worker hears of the new job") { heard.withLock { $0.contains(.newJob) } }
            _ = try await worker.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Date())
            #expect(try await api.cancel(job.id, now: Date()).state == .running)
            try await Self.eventually("the worker hears the cancel") { heard.withLock { $0.contains(.cancel(job.id)) } }
        }
    }

    @Test func theSchemaMigratesOnceAndANewerOneIsRefused() async throws {
        let cluster = try PostgresClusterTrait.cluster()
        let url = try await cluster.makeDatabase()
        try await Self.withNodes(3, url: url) { nodes in
            // Three nodes started together: one migrates, the others find it done; all work.
            for node in nodes { _ = try await node.counts() }
        }
        try await cluster.psql("INSERT INTO aishorts_schema (version) VALUES (999)", database: url.database)
        let newer = PostgresJobQueue(url: url, logger: quietLogger("test.newer"))
        await #expect(throws: JobError.self) { try await newer.run() }
    }
}

/// The database going away: operations fail as `unavailable` (503), then recover by themselves.
@Suite("PostgreSQL job queue outage", .postgresCluster, .timeLimit(.minutes(5)))
struct PostgresOutageTests {
    @Test func operationsAnswerUnavailableWhileTheDatabaseIsDownThenRecover() async throws {
        let cluster = try PostgresClusterTrait.cluster()
        try await PostgresJobQueueTests.withNodes(1, timeout: .seconds(10)) { nodes in
            let queue = nodes[0]
            // The idempotency key makes a retried enqueue (the first connection may be slow on a busy machine) add one job.
            let job = JobQueueContractTests.job(key: "outage")
            try await PostgresJobQueueTests.eventually("the queue answers", deadline: .seconds(120)) {
                (try? await queue.enqueue(job, maxQueued: 10)) != nil
            }
            try await cluster.stopServer()
            do {
                _ = try await queue.job(job.id)
                Issue.record("a read while the database is down must fail")
            } catch let error as JobError {
                #expect(error.code == .unavailable, "\(error)")
            }
            try await cluster.startServer()
            try await PostgresJobQueueTests.eventually("the queue answers again") { (try? await queue.job(job.id)) != nil }
            try await PostgresJobQueueTests.eventually("the listener reconnects") { queue.isConnected }
        }
    }
}
