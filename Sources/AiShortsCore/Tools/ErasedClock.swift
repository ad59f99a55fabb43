/// Any `Clock` measured in `Duration`, read as the time elapsed since the wrapper was made.
///
/// The parts that wait (the request pacer, the model manager's idle release and budget wait) take one
/// of these instead of reading `ContinuousClock` themselves, so a test can hand them a clock it
/// advances by hand and check what happens at chosen instants, whatever the machine's load. Production
/// code uses ``continuous``. Instants are `Duration`s from the wrapper's creation, so values from two
/// different wrappers are not comparable.
public struct ErasedClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`; its `now` at this moment becomes instant zero.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }

    /// The real, monotonic clock (it keeps counting while the machine sleeps).
    public static var continuous: ErasedClock { ErasedClock(ContinuousClock()) }

    /// Time since the wrapper was made.
    public var now: Duration { elapsed() }

    /// Suspends until `now` reaches `deadline`; returns at once if it already has.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }

    /// Suspends for `duration` from now.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(for duration: Duration) async throws {
        try await sleeper(now + duration)
    }
}
