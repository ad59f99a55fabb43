/// Spaces the starts of requests to one host by a minimum interval, as a site's rules ask.
///
/// Each caller reserves the next free start time for its key, then sleeps until it outside the
/// actor: so waits for one host overlap with every other host's work, and callers for the same host
/// start in reservation order, `interval` apart. The first request to a key starts at once. On
/// waking, a caller confirms its start against the last granted start: a process that was stalled
/// (a busy machine) wakes several sleepers at once, and they must not all go together; each then takes
/// the next turn after the last one granted, so starts are never less than `interval` apart.
public actor RequestPacer {
    /// The gap between request starts, per key; keys not listed are not paced.
    public nonisolated let intervals: [String: Duration]
    private let clock = ContinuousClock()
    private var nextStart: [String: ContinuousClock.Instant] = [:]
    private var lastStart: [String: ContinuousClock.Instant] = [:]

    /// Creates a pacer with `intervals` (seconds) per key (a host, or a source's own name).
    public init(intervals: [String: Double]) {
        self.intervals = intervals.filter { $0.value > 0 }.mapValues { .milliseconds(Int64(($0 * 1000).rounded())) }
    }

    /// Waits until `key` may start its next request.
    ///
    /// - Throws: `CancellationError` when cancelled while waiting (the reserved turn is then wasted,
    ///   which only makes later requests more polite).
    public nonisolated func waitTurn(_ key: String) async throws {
        guard intervals[key] != nil else { return }
        let start = await reserve(key)
        try await Task.sleep(until: start, clock: ContinuousClock())
        if let later = await confirm(key) {
            // Granted and recorded: no later caller can take this turn, so no second check.
            try await Task.sleep(until: later, clock: ContinuousClock())
        }
    }

    /// Records a start now; or, when the last start was less than the interval ago (the previous caller
    /// woke late, or a stall woke several at once), grants and records the very next turn and returns it.
    ///
    /// The next turn, not the end of the queue: a caller that wakes a millisecond before its
    /// predecessor's late start is `interval` behind it would otherwise go behind every caller waiting,
    /// and each such hop costs whole intervals (the footage stage's searches took 40 % longer).
    private func confirm(_ key: String) -> ContinuousClock.Instant? {
        let interval = intervals[key] ?? .zero
        let now = clock.now
        guard let last = lastStart[key], now < last + interval else {
            lastStart[key] = now
            return nil
        }
        let start = last + interval
        lastStart[key] = start
        nextStart[key] = max(nextStart[key] ?? start, start + interval)
        return start
    }

    private func reserve(_ key: String) -> ContinuousClock.Instant {
        let interval = intervals[key] ?? .zero
        let now = clock.now
        let start = max(now, nextStart[key] ?? now)
        nextStart[key] = start + interval
        return start
    }
}
