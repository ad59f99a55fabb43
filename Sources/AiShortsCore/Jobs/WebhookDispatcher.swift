import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle

/// POSTs each job that carries a `callback_url` to it when the job ends here, signed, retried with
/// backoff; every attempt is recorded on the job as a `note` event.
///
/// A receiver that never answers holds up nothing: deliveries run beside each other (at most
/// ``Configuration/parallel``), each attempt has a timeout, and redirects are not followed (a
/// redirect could point into the server's own network, which the submission check refused).
/// Deliveries still waiting when the service stops are taken up again when it next starts: the
/// recent jobs that ended with a `callback_url` but no final delivery note are sent then.
public actor WebhookDispatcher: Service {
    /// How deliveries are made.
    public struct Configuration: Sendable {
        /// The HMAC key receivers check signatures with.
        public var secret: String
        /// Whether loopback and private receivers are allowed (checked again before each attempt).
        public var allowPrivate = false
        /// Attempts per delivery, the first included.
        public var attempts = 5
        /// The wait before the second attempt; doubled for each one after (±25 % jitter).
        public var retryDelay: Duration = .seconds(2)
        /// How long one attempt may take.
        public var timeout: Duration = .seconds(10)
        /// Deliveries in flight at once; more wait their turn.
        public var parallel = 8

        /// Creates a configuration.
        public init(secret: String, allowPrivate: Bool = false) {
            self.secret = secret
            self.allowPrivate = allowPrivate
        }
    }

    private let queue: any JobQueue
    private let terminals: JobTerminals
    private let configuration: Configuration
    private let logger: Logger
    private let clock: any Clock<Duration>
    /// Jobs being delivered now, so one announced twice (at start and live) is sent once.
    private var delivering: Set<String> = []

    /// Creates a dispatcher for the endings `terminals` announces.
    public init(queue: any JobQueue, terminals: JobTerminals, configuration: Configuration, logger: Logger,
                clock: any Clock<Duration> = ContinuousClock()) {
        self.queue = queue
        self.terminals = terminals
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// Delivers until graceful shutdown.
    public func run() async throws {
        var http = HTTPClient.Configuration(redirectConfiguration: .disallow)
        http.timeout = .init(connect: .seconds(5), read: TimeAmount.nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        let endings = terminals.subscribe()
        let unfinished = await pending()
        await withTaskGroup(of: Void.self) { group in
            // The unfinished deliveries first, then the live endings, through one stream.
            let (all, feed) = AsyncStream<JobTerminals.Ending>.makeStream()
            for ending in unfinished { feed.yield(ending) }
            group.addTask {
                for await ending in endings { feed.yield(ending) }
                feed.finish()
            }
            var inFlight = 0
            for await ending in all.cancelOnGracefulShutdown() {
                // Bounded: past `parallel`, one delivery must finish before the next starts (the
                // endings wait in their stream meanwhile).
                if inFlight >= configuration.parallel {
                    await group.next()
                    inFlight -= 1
                }
                inFlight += 1
                group.addTask { await self.deliver(ending, client: client) }
            }
            group.cancelAll()
        }
        try? await client.shutdown()
    }

    /// The event name a terminal state is announced with.
    public static func eventName(_ state: JobState) -> String { "job.\(state.rawValue)" }

    /// Jobs that ended in the last day with a `callback_url` and no final delivery note (a server
    /// stopped while their webhook waited for a retry), newest first, at most 100 per state.
    private func pending(now: Date = Date()) async -> [JobTerminals.Ending] {
        var endings: [JobTerminals.Ending] = []
        for state in [JobState.succeeded, .failed, .cancelled] {
            guard let page = try? await queue.list(state: state, cursor: nil, limit: 100) else { continue }
            for job in page.jobs where job.request.callbackURL != nil && (job.finishedAt ?? .distantPast) > now.addingTimeInterval(-86_400) {
                let events = (try? await queue.events(job.id, after: 0)) ?? []
                let settled = events.contains { event in
                    event.kind == .note && ["\"webhook\":\"delivered\"", "\"webhook\":\"failed\""].contains { event.data.contains($0) }
                }
                if !settled { endings.append(.init(job: job.id, state: state)) }
            }
        }
        if !endings.isEmpty { logger.notice("sending \(endings.count) webhook(s) a stopped server left waiting") }
        return endings
    }

    private func begin(_ id: String) -> Bool { delivering.insert(id).inserted }
    private func end(_ id: String) { delivering.remove(id) }

    private func deliver(_ ending: JobTerminals.Ending, client: HTTPClient) async {
        guard begin(ending.job) else { return }
        defer { end(ending.job) }
        guard let job = try? await queue.job(ending.job), let target = job.request.callbackURL, let url = URL(string: target) else { return }
        let event = Self.eventName(ending.state)
        let payload: [String: Any] = ["event": event, "job": job.apiObject]
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        for attempt in 1...max(1, configuration.attempts) {
            let outcome = await post(body, to: url, client: client)
            let last = attempt == configuration.attempts
            await note(job.id, event: event, attempt: attempt, outcome: outcome, final: last || outcome.delivered, host: url.host ?? "")
            if outcome.delivered || last { return }
            let base = Double(configuration.retryDelay.components.seconds) + Double(configuration.retryDelay.components.attoseconds) / 1e18
            let wait = base * pow(2, Double(attempt - 1)) * Double.random(in: 0.75...1.25)
            do { try await clock.sleep(for: .milliseconds(Int64(wait * 1000))) } catch { return }
        }
    }

    struct Outcome: Sendable {
        var status: Int?
        var error: String?
        var delivered: Bool { status.map { (200..<300).contains($0) } ?? false }
    }

    private func post(_ body: Data, to url: URL, client: HTTPClient) async -> Outcome {
        do {
            try await CallbackURL.checkReachable(url, allowPrivate: configuration.allowPrivate)
        } catch {
            return Outcome(error: error.message)
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "aishorts-webhook")
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body, secret: configuration.secret, at: Date()))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(configuration.timeout.components.seconds)))
            _ = try? await response.body.collect(upTo: 64 << 10)
            return Outcome(status: Int(response.status.code))
        } catch {
            return Outcome(error: String(String(describing: error).oneLine.prefix(200)))
        }
    }

    private func note(_ id: String, event: String, attempt: Int, outcome: Outcome, final: Bool, host: String) async {
        let what = outcome.status.map { "HTTP \($0)" } ?? (outcome.error ?? "no answer")
        let result = outcome.delivered ? "delivered" : (final ? "failed" : "retrying")
        let message = outcome.delivered
            ? "webhook \(event) delivered to \(host) (\(what)) on attempt \(attempt)"
            : "webhook \(event) to \(host) attempt \(attempt) of \(configuration.attempts) failed: \(what)\(final ? "; giving up" : "; retrying")"
        if !outcome.delivered { logger.notice("\(message)", metadata: ["job": "\(id)"]) }
        let fields: [String: JSONScalar] = [
            "message": .text(message), "webhook": .text(result), "attempt": .integer(attempt),
            "status": outcome.status.map { .integer($0) } ?? .null,
        ]
        _ = try? await queue.record(id, worker: nil, events: [NewJobEvent(.note, fields)], progress: nil, now: Date())
    }
}
