import Synchronization

/// A clock that moves only when a test calls ``advance(by:)``: code that waits on it wakes at the
/// instants the test chooses, however busy the machine is.
///
/// Sleepers are counted, so a test can wait for the code under test to reach a wait (an event) instead
/// of guessing with a real sleep.
public final class ManualClock: Clock, Sendable {
    /// An instant: the time advanced since the clock was made.
    public struct Instant: InstantProtocol, Hashable, Sendable {
        /// Time since the clock's start.
        public var offset: Duration

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Earlier instants sort first.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        var cancelled: Set<Int> = []
    }

    private let state = Mutex(State())

    /// A clock at instant zero with no sleepers.
    public init() {}

    /// The current instant.
    public var now: Instant { state.withLock { $0.now } }
    /// Any instant is representable exactly.
    public var minimumResolution: Duration { .zero }
    /// How many tasks are waiting on the clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock has been advanced to `deadline`.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (polling, yielding between looks) until at least `count` tasks sleep on the clock.
    ///
    /// - Throws: an error naming what never happened after `limit` of real time: a safety net for a
    ///   broken test, never the thing asserted.
    public func waitForSleepers(_ count: Int, limit: Duration = .seconds(60)) async throws {
        try await waitUntil("\(count) task(s) waiting on the manual clock (\(sleeperCount) are)", limit: limit) { self.sleeperCount >= count }
    }
}

/// Waits until `condition` holds, looking every 10 ms of real time.
///
/// - Throws: ``WaitTimeout`` naming `what` when `limit` passes first: tests use it as a safety net
///   (generous, and failing with a message), never as the thing they assert.
public func waitUntil(_ what: @autoclosure () -> String, limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what(), limit: limit) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// What a test waited for and never saw.
public struct WaitTimeout: Error, CustomStringConvertible {
    /// The event or state that never came.
    public var what: String
    /// How long the test waited.
    public var limit: Duration
    /// One line for the test's failure.
    public var description: String { "never happened within \(limit): \(what)" }
}

/// Counts events that several tasks report.
public final class EventCounter: Sendable {
    private let count = Mutex(0)
    /// A counter at zero.
    public init() {}
    /// Counts one event.
    public func increment() { count.withLock { $0 += 1 } }
    /// Events so far.
    public var value: Int { count.withLock { $0 } }
}
