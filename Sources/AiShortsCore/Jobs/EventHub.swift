import Synchronization

/// Hands events to the clients following a job, as soon as the queue stored them.
///
/// With the SQLite queue every event is stored by this process, which publishes it; with PostgreSQL,
/// the node's listener publishes what any node stored (``PostgresJobQueue``). A subscriber that
/// falls behind loses nothing: its stream buffers, and a reconnecting client replays from the store.
/// A lock rather than an actor, so a stream that ends can unsubscribe synchronously.
public final class EventHub: Sendable {
    private struct State {
        var followers: [String: [Int: AsyncStream<JobEvent>.Continuation]] = [:]
        var nextToken = 0
        var closed = false
    }
    private let state = Mutex(State())

    /// Creates a hub.
    public init() {}

    /// A stream of `job`'s events from now on; it ends when the hub is closed.
    func subscribe(_ job: String) -> AsyncStream<JobEvent> {
        let (stream, continuation) = AsyncStream<JobEvent>.makeStream()
        let token: Int? = state.withLock { state in
            guard !state.closed else { return nil }
            let token = state.nextToken
            state.nextToken += 1
            state.followers[job, default: [:]][token] = continuation
            return token
        }
        guard let token else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(job, token) }
        return stream
    }

    private func unsubscribe(_ job: String, _ token: Int) {
        state.withLock { state in
            state.followers[job]?[token] = nil
            if state.followers[job]?.isEmpty == true { state.followers[job] = nil }
        }
    }

    /// Hands stored events to their followers.
    func publish(_ events: [JobEvent]) {
        state.withLock { state in
            for event in events {
                for continuation in (state.followers[event.job] ?? [:]).values { continuation.yield(event) }
            }
        }
    }

    /// The jobs someone follows now: only their events are worth reading back from a shared database.
    var followedJobs: Set<String> { state.withLock { Set($0.followers.keys) } }

    /// How many streams are open, for limits and tests.
    public var followerCount: Int { state.withLock { $0.followers.values.reduce(0) { $0 + $1.count } } }

    /// Ends every stream and refuses new ones.
    func close() {
        let continuations = state.withLock { state in
            state.closed = true
            defer { state.followers = [:] }
            return state.followers.values.flatMap(\.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}

/// A job's stored events after a point, then its live ones, ending after the final state event.
///
/// Lazy: nothing is read until the first `next()`, and the reading happens in the consumer's task.
public struct JobEventStream: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = JobEvent
    let after: Int
    let fetch: @Sendable (Int) async throws -> [JobEvent]
    let subscribe: @Sendable () async -> AsyncStream<JobEvent>

    /// Makes the iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(last: after, fetch: fetch, subscribe: subscribe)
    }

    /// Reads the store once, then the live stream, skipping what it already gave.
    public struct Iterator: AsyncIteratorProtocol {
        var last: Int
        let fetch: @Sendable (Int) async throws -> [JobEvent]
        let subscribe: @Sendable () async -> AsyncStream<JobEvent>
        var buffered: [JobEvent] = []
        var live: AsyncStream<JobEvent>.Iterator?
        var done = false
        /// The job has ended: the stream ends once what is buffered has been given.
        var endsAfterBuffer = false

        /// The next event, or `nil` once the final one was given or the stream was closed.
        public mutating func next() async throws -> JobEvent? {
            if done { return nil }
            if live == nil {
                // Subscribe before reading the store, so nothing stored in between is missed.
                live = await subscribe().makeAsyncIterator()
                // Everything is read, so that a client resuming after the final state (to read
                // the notes stored after it, such as webhook deliveries) is not left waiting.
                let all = try await fetch(0)
                buffered = all.filter { $0.sequence > last }
                if let state = all.last(where: { $0.kind == .state }), state.sequence <= last, state.isFinal { endsAfterBuffer = true }
            }
            while true {
                let event: JobEvent
                if !buffered.isEmpty {
                    event = buffered.removeFirst()
                } else if endsAfterBuffer {
                    done = true
                    return nil
                } else {
                    guard let next = await live?.next() else { return nil }
                    // Writers publish after their commits, so two close together can arrive out
                    // of order. A gap means the missing events are stored already (numbers come
                    // from the store, in commit order): read them from there.
                    if next.sequence - 1 > last {
                        buffered = try await fetch(last)
                        continue
                    }
                    event = next
                }
                guard event.sequence > last else { continue }
                last = event.sequence
                // A stored final state followed by another state was not final after all: the job
                // was rendered again (a draft, a retry). Events that are not states (notes stored
                // after the end) are still given; then the stream ends.
                if event.isFinal, !buffered.contains(where: { $0.sequence > event.sequence && $0.kind == .state }) {
                    endsAfterBuffer = true
                }
                return event
            }
        }
    }
}
