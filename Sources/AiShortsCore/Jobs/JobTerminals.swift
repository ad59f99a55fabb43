import Synchronization

/// Tells subscribers, in this process, each time a job reaches a terminal state here.
///
/// The webhook dispatcher listens; it is told by the workers (a render ended) and by the desk (a
/// waiting job was cancelled). A lock rather than an actor, so that workers publish without waiting.
public final class JobTerminals: Sendable {
    /// A job that ended, and how.
    public struct Ending: Sendable, Hashable {
        /// The job.
        public var job: String
        /// Its terminal state.
        public var state: JobState
    }

    private struct State {
        var subscribers: [Int: AsyncStream<Ending>.Continuation] = [:]
        var next = 0
    }
    private let state = Mutex(State())

    /// Creates a broadcaster with no subscribers.
    public init() {}

    /// The endings from now on; the stream ends when its consumer stops iterating.
    public func subscribe() -> AsyncStream<Ending> {
        let (stream, continuation) = AsyncStream<Ending>.makeStream()
        let token = state.withLock { state in
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: token) }
        }
        return stream
    }

    /// Hands an ending to every subscriber.
    public func publish(_ job: String, _ state: JobState) {
        let ending = Ending(job: job, state: state)
        for continuation in self.state.withLock({ Array($0.subscribers.values) }) { continuation.yield(ending) }
    }
}
