/// Spaces the starts of requests to one host by a minimum interval, as a site's rules ask.
///
/// Each caller reserves the next free start time for its key, then sleeps until it outside the
/// actor: so waits for one host overlap with every other host's work, and callers for the same host
/// start in reservation order, `interval` apart. The first request to a key starts at once. On
/// waking, a caller confirms its start against the last *actual* start: a process that was stalled
/// (a busy machine) wakes several sleepers at once, and they must not all go together.
///
/// Instants are read from the clock it is given (the real one, or a test's manual clock).
public actor RequestPacer {
    /// The gap between request starts, per key; keys not listed are not paced.
    public nonisolated let intervals: [String: Duration]
    /// The clock turns are measured and waited on.
    public nonisolated let clock: ErasedClock
    private var nextStart: [String: Duration] = [:]
    private var lastStart: [String: Duration] = [:]

    /// Creates a pacer with `intervals` (seconds) per key (a host, or a source's own name).
    public init(intervals: [String: Double], clock: ErasedClock = .continuous) {
        self.intervals = intervals.filter { $0.value > 0 }.mapValues { .milliseconds(Int64(($0 * 1000).rounded())) }
        self.clock = clock
    }

    /// Waits until `key` may start its next request.
    ///
    /// - Throws: `CancellationError` when cancelled while waiting (the reserved turn is then wasted,
    ///   which only makes later requests more polite).
    public nonisolated func waitTurn(_ key: String) async throws {
        guard intervals[key] != nil else { return }
        var start = await reserve(key)
        while true {
            try await clock.sleep(until: start)
            guard let later = await confirm(key) else { return }
            start = later
        }
    }

    // The clock is read inside the actor: a time read before the hop could be stale by the time it counts.
    private func reserve(_ key: String) -> Duration { reserve(key, now: clock.now) }
    private func confirm(_ key: String) -> Duration? { confirm(key, now: clock.now) }

    /// Records a start at `now`, or, when the last actual start was less than the interval before,
    /// returns when to try again: the interval after that start.
    ///
    /// The caller tries again right after that start, not at the end of the queue: a caller that wakes a
    /// millisecond before its predecessor's (late) start is an interval old would otherwise go behind
    /// every caller waiting, and each such hop cost whole intervals (the footage stage's searches took
    /// 40 % longer). Only actual starts are recorded, so a stall that wakes several callers at once
    /// still lets them go one interval apart.
    func confirm(_ key: String, now: Duration) -> Duration? {
        let interval = intervals[key] ?? .zero
        if let last = lastStart[key], now < last + interval {
            return last + interval
        }
        lastStart[key] = now
        return nil
    }

    /// Reserves the next free start time for `key`.
    func reserve(_ key: String, now: Duration) -> Duration {
        let interval = intervals[key] ?? .zero
        let start = max(now, nextStart[key] ?? now)
        nextStart[key] = start + interval
        return start
    }
}
