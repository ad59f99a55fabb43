/// Spaces the starts of requests to one host by a minimum interval, as a site's rules ask.
///
/// Each caller reserves the next free start time for its key, then sleeps until it outside the
/// actor: so waits for one host overlap with every other host's work, and callers for the same host
/// start in reservation order, `interval` apart. The first request to a key starts at once.
public actor RequestPacer {
    /// The gap between request starts, per key; keys not listed are not paced.
    public nonisolated let intervals: [String: Duration]
    private let clock = ContinuousClock()
    private var nextStart: [String: ContinuousClock.Instant] = [:]

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
    }

    private func reserve(_ key: String) -> ContinuousClock.Instant {
        let interval = intervals[key] ?? .zero
        let now = clock.now
        let start = max(now, nextStart[key] ?? now)
        nextStart[key] = start + interval
        return start
    }
}
