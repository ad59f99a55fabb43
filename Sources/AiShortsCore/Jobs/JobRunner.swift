public import Foundation
public import ServiceLifecycle
import Synchronization

/// The workers: claims jobs from the queue and makes them, several at once, as memory allows.
///
/// A `Service`: `run()` works until graceful shutdown. Then no new job starts; running jobs get
/// ``Configuration/grace`` to finish and are otherwise stopped (ffmpeg and yt-dlp with them) and put
/// back in the queue, to run again on the next start with their finished work coming from the caches.
/// One runner shares one ``Pipeline`` (one model manager, media index and digest table) between all
/// its jobs: two jobs narrating with the same voice load it once.
public actor JobRunner: Service {
    /// How many jobs, how much memory, how long leases last.
    public struct Configuration: Sendable {
        /// Jobs made at once.
        public var jobs: Int
        /// Memory the running renders and the loaded models may use together, in bytes.
        public var memoryBudget: Int
        /// How long a claim holds without a heartbeat (at most 30 s).
        public var lease: Duration
        /// How often a running job renews its lease.
        public var heartbeat: Duration
        /// How long running jobs may go on once shutdown begins.
        public var grace: Duration
        /// Attempts before a transient failure becomes final.
        public var maxAttempts: Int
        /// The first retry's delay; each next one doubles, up to a minute.
        public var retryDelay: Duration
        /// How often an idle runner looks at the queue (new jobs in this process wake it at once).
        public var poll: Duration
        /// This runner's name in the queue's lease column.
        public var worker: String

        /// Creates a configuration.
        public init(jobs: Int = 2, memoryBudget: Int = 2048 << 20, lease: Duration = .seconds(30), heartbeat: Duration = .seconds(10),
                    grace: Duration = .seconds(30), maxAttempts: Int = 3, retryDelay: Duration = .seconds(2), poll: Duration = .seconds(1),
                    worker: String = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())") {
            self.jobs = max(0, jobs)
            self.memoryBudget = memoryBudget
            self.lease = min(lease, .seconds(30))
            self.heartbeat = heartbeat
            self.grace = grace
            self.maxAttempts = max(1, maxAttempts)
            self.retryDelay = retryDelay
            self.poll = poll
            self.worker = worker
        }

        /// A lease of `seconds` (at least 1), heartbeats three times per lease and sweeps as often:
        /// for tests that kill a worker and wait for its job to come back.
        public mutating func shortenLease(to seconds: Double) {
            lease = min(.milliseconds(Int64(max(1, seconds) * 1000)), .seconds(30))
            heartbeat = lease / 3
        }
    }

    /// What a runner tells an observer (metrics): a job claimed, a stage done, a job ended.
    public enum Observation: Sendable {
        /// A job left the queue after waiting this long.
        case claimed(waitSeconds: Double)
        /// A stage of a job finished.
        case stage(String, seconds: Double)
        /// An attempt ended in this state; the report when it succeeded.
        case ended(JobState, RunReport?)
        /// A job reached a terminal state (succeeded, failed for good, cancelled): after `ended`.
        case finished(String, JobState)
    }

    let queue: any JobQueue
    let pipeline: Pipeline
    let folders: DataFolders
    /// Where finished outputs and uploads live: `folders` itself, or a folder shared by every node.
    let storage: DataFolders
    let libraries: [URL]
    let writer: @Sendable () throws -> ScriptWriter
    let observer: @Sendable (Observation) -> Void
    /// The configuration.
    public let configuration: Configuration
    /// Kills this process's render programs if it dies; `nil` for a runner inside a test process.
    let keeper: ChildKeeper?
    let wakeup = Wakeup()
    private var running: [String: RunningJob] = [:]

    struct RunningJob {
        var memory: Int
        var cancelRequested = false
    }

    /// Creates a runner.
    /// - Parameters:
    ///   - writer: makes the script writer for topic and category jobs; throws when no LLM is configured.
    ///   - folders: where jobs render (local scratch when `storage` is given).
    ///   - storage: the shared folder of outputs and uploads (`aishorts worker --storage`); `nil`: `folders`.
    ///   - libraries: the folders a job's spec may name besides its uploads.
    ///   - keeper: makes the programs jobs start die with this process (run it as a service too).
    public init(queue: any JobQueue, pipeline: Pipeline, folders: DataFolders, storage: DataFolders? = nil, libraries: [URL],
                configuration: Configuration, keeper: ChildKeeper? = nil, writer: @escaping @Sendable () throws -> ScriptWriter,
                observer: @escaping @Sendable (Observation) -> Void = { _ in }) {
        self.queue = queue
        self.pipeline = pipeline
        self.folders = folders
        self.storage = storage ?? folders
        self.libraries = libraries
        self.configuration = configuration
        self.keeper = keeper
        self.writer = writer
        self.observer = observer
    }

    /// Looks at the queue now rather than at the next poll (a job was added).
    public nonisolated func wake() {
        wakeup.signal()
    }

    /// Stops a running job a client cancelled (the queue has already marked it).
    public func stop(_ id: String) {
        running[id]?.cancelRequested = true
    }

    /// The identifiers of the jobs running now.
    public var runningJobs: [String] { running.keys.sorted() }

    /// Claims and runs jobs until graceful shutdown; see the type's discussion.
    public func run() async throws {
        // Every job runs in a child task of `work`, so every program a job starts sees the keeper.
        await ChildKeeper.$current.withValue(keeper) {
            await withGracefulShutdownHandler {
                await self.work()
            } onGracefulShutdown: {
                self.wakeup.stop()
            }
        }
    }

    private func work() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.tick() }
            while !wakeup.isStopped {
                while !wakeup.isStopped, running.count < configuration.jobs, let job = await claimNext() {
                    running[job.id] = RunningJob(memory: job.expectedMemory)
                    observer(.claimed(waitSeconds: max(0, Date().timeIntervalSince(job.createdAt))))
                    group.addTask { await self.execute(job) }
                }
                await wakeup.wait()
            }
            // Shutting down: running jobs get the grace period, then are stopped and requeued.
            if !running.isEmpty {
                let deadline = ContinuousClock.now + configuration.grace
                while !running.isEmpty, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            group.cancelAll()
        }
    }

    /// Wakes the loop every poll interval, and sweeps expired leases every half lease.
    private nonisolated func tick() async {
        var lastSweep = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.poll)
            if ContinuousClock.now - lastSweep >= configuration.lease / 2 {
                lastSweep = .now
                _ = try? await queue.reclaimExpired(now: Date())
            }
            wakeup.signal()
        }
    }

    private func claimNext() async -> JobRecord? {
        let used = running.values.reduce(0) { $0 + $1.memory } + (await pipeline.voices.models.accountedBytes)
        // With nothing running, any job may start: one bigger than the whole budget must still run.
        let available = running.isEmpty ? Int.max : max(0, configuration.memoryBudget - used)
        do {
            return try await queue.claim(worker: configuration.worker, lease: configuration.lease, memoryAvailable: available, now: Date())
        } catch {
            return nil
        }
    }

    func finished(_ id: String) async {
        running[id] = nil
        wakeup.signal()
    }

    func cancelRequested(_ id: String) -> Bool {
        running[id]?.cancelRequested ?? false
    }

    /// Whether graceful shutdown has begun (no new job starts).
    public nonisolated var isStopping: Bool { wakeup.isStopped }
}

/// A signal an idle loop waits for; a signal sent while nobody waits is kept for the next wait.
///
/// A lock, not an actor, so that a graceful-shutdown handler (synchronous) can signal it.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var stopped = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Marks the loop as stopping and wakes it.
    func stop() {
        state.withLock { $0.stopped = true }
        signal()
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
