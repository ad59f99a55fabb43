import Foundation
public import Logging
public import ServiceLifecycle

/// Tells the shared queue every few seconds that this worker process is alive, for `aishorts queue
/// status`; removes its row when it stops. Leases, not this, decide whether a job is reclaimed.
public struct WorkerPresence: Service {
    let queue: PostgresJobQueue
    let worker: String
    let jobs: Int
    let interval: Duration
    let logger: Logger

    /// Creates the reporter for `worker`, which makes `jobs` at once.
    public init(queue: PostgresJobQueue, worker: String, jobs: Int, interval: Duration = .seconds(5), logger: Logger) {
        self.queue = queue
        self.worker = worker
        self.jobs = jobs
        self.interval = interval
        self.logger = logger
    }

    /// Reports until graceful shutdown, then removes the row.
    public func run() async throws {
        let started = Date()
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(getpid())
        await cancelWhenGracefulShutdown {
            var reachable = true
            while !Task.isCancelled {
                do {
                    try await queue.reportAlive(worker: worker, host: host, pid: pid, jobs: jobs, startedAt: started, now: Date())
                    if !reachable { logger.notice("queue database reachable again; worker \(worker) resumes") }
                    reachable = true
                } catch is CancellationError {
                    break
                } catch {
                    if reachable { logger.warning("queue database unreachable (\(error)); worker \(worker) pauses and retries") }
                    reachable = false
                }
                try? await Task.sleep(for: interval)
            }
        }
        try? await queue.removeWorker(worker)
    }
}
