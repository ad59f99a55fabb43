import AiShortsCore
import Foundation
import Hummingbird
import Prometheus
import Synchronization

/// The server's Prometheus metrics: jobs by state, stage and queue-wait times, cache hits, model
/// loads and releases, the process's memory.
///
/// One registry per server (not the global metrics system), so several servers in one test process
/// keep their counts apart.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let queueWait: DurationHistogram
    private let counted = Mutex<[String: Int]>([:])
    static let buckets: [Duration] = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600].map { .milliseconds(Int64($0 * 1000)) }

    init() {
        queueWait = registry.makeDurationHistogram(name: "aishorts_queue_wait_seconds", labels: [], buckets: Self.buckets)
    }

    /// What the job runner reports.
    func observe(_ observation: JobRunner.Observation) {
        switch observation {
        case .claimed(let wait):
            queueWait.recordNanoseconds(Int64(wait * 1e9))
        case .stage(let stage, let seconds):
            registry.makeDurationHistogram(name: "aishorts_stage_seconds", labels: [("stage", stage)], buckets: Self.buckets)
                .recordNanoseconds(Int64(seconds * 1e9))
        case .ended(let state, let report):
            registry.makeCounter(name: "aishorts_attempts_total", labels: [("outcome", state.rawValue)]).increment()
            for (cache, count) in report?.caches ?? [:] {
                registry.makeCounter(name: "aishorts_cache_hits_total", labels: [("cache", cache)]).increment(by: Int64(count.hits))
                registry.makeCounter(name: "aishorts_cache_misses_total", labels: [("cache", cache)]).increment(by: Int64(count.misses))
            }
        case .finished:
            break
        }
    }

    /// The text exposition, with the values read at scrape time brought up to date.
    func scrape(queue: any JobQueue, models: ModelManager) async -> String {
        let counts = (try? await queue.counts()) ?? [:]
        for state in JobState.allCases {
            registry.makeGauge(name: "aishorts_jobs", labels: [("state", state.rawValue)]).set(Double(counts[state] ?? 0))
        }
        for usage in await models.usageReport() {
            advance("aishorts_model_loads_total", model: usage.name, to: usage.loads)
            advance("aishorts_model_releases_total", model: usage.name, to: usage.releases)
        }
        registry.makeGauge(name: "aishorts_process_resident_memory_bytes").set(Double(ProcessMemory.residentBytes()))
        return registry.emitToString()
    }

    /// Counters must only grow: add what the model manager counted since the last scrape.
    private func advance(_ name: String, model: String, to total: Int) {
        let key = "\(name)|\(model)"
        let delta = counted.withLock { counted -> Int in
            let delta = total - (counted[key] ?? 0)
            counted[key] = max(total, counted[key] ?? 0)
            return delta
        }
        let counter = registry.makeCounter(name: name, labels: [("model", model)])
        if delta > 0 { counter.increment(by: Int64(delta)) }
    }
}

/// `GET /metrics`: Prometheus text.
struct MetricsController<Context: RequestContext> {
    let metrics: ServerMetrics
    let queue: any JobQueue
    let models: ModelManager

    func add(to router: Router<Context>) {
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: Context) async throws -> Response {
        let text = await metrics.scrape(queue: queue, models: models)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
