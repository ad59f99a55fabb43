import AiShortsCore
import AiShortsTestSupport
import Foundation
import Logging
import Testing

/// The rules every ``JobQueue`` engine keeps, run against each engine.
@Suite("job queue contract", .postgresCluster, .timeLimit(.minutes(5)))
struct JobQueueContractTests {
    /// The engines under test, each on fresh storage.
    static let engines = ["sqlite", "postgres"]

    /// Runs `body` with a queue of `engine` on fresh storage (PostgreSQL: a new database in the suite's
    /// private cluster, the queue's service running meanwhile).
    static func withQueue(_ engine: String, _ body: (any JobQueue) async throws -> Void) async throws {
        switch engine {
        case "postgres":
            // A generous limit per operation: at the start of a full run the machine is saturated and a new
            // connection can take seconds; the limit only bounds a test that would otherwise hang.
            let queue = PostgresJobQueue(url: try await PostgresClusterTrait.cluster().makeDatabase(), logger: quietLogger("test.queue"),
                                         timeout: .seconds(60))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await queue.run() }
                defer { group.cancelAll() }
                try await body(queue)
            }
        default:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-queue-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body(try SQLiteJobQueue(path: folder.appendingPathComponent("queue.sqlite")))
        }
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ text: String = "Hello.", key: String? = nil, memory: Int = 100, at time: Date = t0) -> JobRecord {
        JobRecord(id: UUID().uuidString.lowercased(), request: JobRequest(source: .script(text)), spec: "title: T\nscenes: [\(text)]\n",
                  title: "T", createdAt: time, idempotencyKey: key, expectedMemory: memory)
    }

    @Test(arguments: engines) func aJobIsClaimedByOneWorkerOnly(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let job = Self.job()
            _ = try await queue.enqueue(job, maxQueued: 10)
            let claims = try await withThrowingTaskGroup(of: JobRecord?.self) { group in
                for worker in 0..<8 {
                    group.addTask { try await queue.claim(worker: "w\(worker)", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0) }
                }
                return try await group.reduce(into: [JobRecord]()) { if let claimed = $1 { $0.append(claimed) } }
            }
            #expect(claims.count == 1)
            #expect(claims.first?.id == job.id && claims.first?.attempts == 1 && claims.first?.state == .running)
        }
    }

    @Test(arguments: engines) func claimsGoOldestFirstAndRespectMemoryAndRetryTimes(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let big = Self.job("Big.", memory: 900, at: Self.t0)
            let small = Self.job("Small.", memory: 100, at: Self.t0.addingTimeInterval(1))
            _ = try await queue.enqueue(big, maxQueued: 10)
            _ = try await queue.enqueue(small, maxQueued: 10)
            let first = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 500, now: Self.t0)
            #expect(first?.id == small.id, "the big job does not fit; the small one goes first")
            #expect(try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 500, now: Self.t0) == nil)
            let second = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            #expect(second?.id == big.id)

            // A transient failure waits for its retry time.
            let retryAt = Self.t0.addingTimeInterval(10)
            #expect(try await queue.finish(big.id, worker: "w", outcome: .failed(JobFailure(code: "x", message: "flaky", transient: true), retryAt: retryAt), now: Self.t0))
            let waiting = try #require(try await queue.job(big.id))
            #expect(waiting.state == .queued && waiting.error?.message == "flaky")
            #expect(try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0.addingTimeInterval(5)) == nil)
            let retried = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0.addingTimeInterval(11))
            #expect(retried?.id == big.id && retried?.attempts == 2)
        }
    }

    @Test(arguments: engines) func anExpiredLeaseGoesBackAndFencesTheOldWorker(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let job = Self.job()
            _ = try await queue.enqueue(job, maxQueued: 10)
            _ = try await queue.claim(worker: "old", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            #expect(try await queue.heartbeat(job.id, worker: "old", lease: .seconds(30), now: Self.t0.addingTimeInterval(10)) == .held)
            #expect(try await queue.reclaimExpired(now: Self.t0.addingTimeInterval(35)).isEmpty, "the heartbeat renewed the lease")
            #expect(try await queue.reclaimExpired(now: Self.t0.addingTimeInterval(41)) == [job.id])
            let again = try await queue.claim(worker: "new", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0.addingTimeInterval(42))
            #expect(again?.attempts == 2)
            // The old worker lost its lease: it cannot renew it, write events, or finish the job.
            #expect(try await queue.heartbeat(job.id, worker: "old", lease: .seconds(30), now: Self.t0.addingTimeInterval(43)) == .lost)
            #expect(try await queue.record(job.id, worker: "old", events: [NewJobEvent(.note, ["message": .text("late")])], progress: nil, now: Self.t0).isEmpty)
            #expect(try await !queue.finish(job.id, worker: "old", outcome: .succeeded(report: "{}"), now: Self.t0.addingTimeInterval(44)))
            #expect(try await queue.finish(job.id, worker: "new", outcome: .succeeded(report: "{}"), now: Self.t0.addingTimeInterval(45)))
            #expect(try await queue.job(job.id)?.state == .succeeded)
        }
    }

    @Test(arguments: engines) func eventsAreNumberedAndReplayedThenFollowedLive(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let job = Self.job()
            _ = try await queue.enqueue(job, maxQueued: 10)
            _ = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            _ = try await queue.record(job.id, worker: "w", events: [NewJobEvent(.stageStarted, ["stage": .text("render")])],
                                       progress: JobProgress(stage: "render", fraction: 0, etaSeconds: nil), now: Self.t0)
            let stored = try await queue.events(job.id, after: 0)
            #expect(stored.map(\.sequence) == [1, 2, 3])
            #expect(stored.map(\.kind) == [.state, .state, .stageStarted])

            // A follower from event 1 gets 2 and 3 from the store, then the live ones, then the end.
            let follower = queue.follow(job.id, after: 1)
            async let received: [JobEvent] = follower.reduce(into: []) { $0.append($1) }
            _ = try await queue.record(job.id, worker: "w", events: [NewJobEvent(.stageProgress, ["fraction": .number(0.5)])],
                                       progress: JobProgress(stage: "render", fraction: 0.5, etaSeconds: 3), now: Self.t0)
            #expect(try await queue.job(job.id)?.fraction == 0.5)
            #expect(try await queue.finish(job.id, worker: "w", outcome: .succeeded(report: "{}"), now: Self.t0))
            let all = try await received
            #expect(all.map(\.sequence) == [2, 3, 4, 5])
            #expect(all.last?.isFinal == true)
        }
    }

    @Test(arguments: engines) func notesStoredAfterTheEndAreReplayedAndTheStreamStillEnds(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let job = Self.job()
            _ = try await queue.enqueue(job, maxQueued: 10)
            _ = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            #expect(try await queue.finish(job.id, worker: "w", outcome: .succeeded(report: "{}"), now: Self.t0))
            // A webhook delivery is recorded after the final state, by no worker.
            let note = try await queue.record(job.id, worker: nil, events: [NewJobEvent(.note, ["message": .text("webhook delivered")])],
                                              progress: nil, now: Self.t0)
            #expect(note.map(\.sequence) == [4])
            let fromStart: [JobEvent] = try await queue.follow(job.id, after: 0).reduce(into: []) { $0.append($1) }
            #expect(fromStart.map(\.sequence) == [1, 2, 3, 4], "the note after the final state is given, then the stream ends")
            let resumed: [JobEvent] = try await queue.follow(job.id, after: 3).reduce(into: []) { $0.append($1) }
            #expect(resumed.map(\.sequence) == [4], "a client resuming after the final state gets the note and is not left waiting")
            let caughtUp: [JobEvent] = try await queue.follow(job.id, after: 4).reduce(into: []) { $0.append($1) }
            #expect(caughtUp.isEmpty)
        }
    }

    @Test(arguments: engines) func idempotencyCancelRequeueAndDelete(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            let job = Self.job(key: "k1")
            let first = try await queue.enqueue(job, maxQueued: 10)
            var twin = Self.job(key: "k1")
            twin.request = job.request
            let second = try await queue.enqueue(twin, maxQueued: 10)
            #expect(first.created && !second.created && second.job.id == job.id)
            await #expect(throws: JobError.self) { try await queue.enqueue(Self.job("Other.", key: "k1"), maxQueued: 10) }
            await #expect(throws: JobError.self) { try await queue.enqueue(Self.job("Full."), maxQueued: 1) }

            #expect(try await queue.cancel(job.id, now: Self.t0).state == .cancelled)
            await #expect(throws: JobError.self) { try await queue.cancel(job.id, now: Self.t0) }
            #expect(try await queue.requeue(job.id, maxQueued: 10, now: Self.t0).state == .queued)

            _ = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            #expect(try await queue.cancel(job.id, now: Self.t0).state == .running, "a running job is marked, its worker stops it")
            #expect(try await queue.heartbeat(job.id, worker: "w", lease: .seconds(30), now: Self.t0) == .cancelRequested)
            await #expect(throws: JobError.self) { try await queue.delete(job.id) }
            #expect(try await queue.finish(job.id, worker: "w", outcome: .cancelled, now: Self.t0))
            #expect(try await queue.delete(job.id))
            #expect(try await queue.job(job.id) == nil)
            #expect(try await queue.events(job.id, after: 0).isEmpty)
        }
    }

    @Test(arguments: engines) func listingPagesNewestFirstAndCountsByState(engine: String) async throws {
        try await Self.withQueue(engine) { queue in
            var ids: [String] = []
            for index in 0..<5 {
                let job = Self.job("Job \(index).", at: Self.t0.addingTimeInterval(Double(index)))
                ids.append(job.id)
                _ = try await queue.enqueue(job, maxQueued: 10)
            }
            _ = try await queue.claim(worker: "w", lease: .seconds(30), memoryAvailable: 1000, now: Self.t0)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await queue.list(state: nil, cursor: cursor, limit: 2)
                seen += page.jobs.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == ids.reversed())
            #expect(try await queue.list(state: .running, cursor: nil, limit: 10).jobs.map(\.id) == [ids[0]])
            let counts = try await queue.counts()
            #expect(counts[.queued] == 4 && counts[.running] == 1)
        }
    }
}
