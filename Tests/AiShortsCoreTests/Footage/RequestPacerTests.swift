import Foundation
import Testing

@testable import AiShortsCore

/// The per-host pacer on its own: starts at least the interval apart, in turn, and no later than needed.
@Suite struct RequestPacerTests {
    /// Runs `callers` waits on one key at once; returns their start times in seconds after the first call.
    func starts(callers: Int, interval: Double) async throws -> [Double] {
        let pacer = RequestPacer(intervals: ["host": interval])
        let clock = ContinuousClock()
        let origin = clock.now
        return try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await pacer.waitTurn("host")
                    return (clock.now - origin).inSeconds
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
    }

    @Test("callers start the interval apart and none loses its turn behind the queue")
    func spacedAndPrompt() async throws {
        let interval = 0.15
        let times = try await starts(callers: 8, interval: interval)
        for (earlier, later) in zip(times, times.dropFirst()) {
            // The pacer's own clock decides; these times are read a moment after, so allow 5 ms.
            #expect(later - earlier >= interval - 0.005, "\(times)")
        }
        // Seven intervals are needed; a caller sent to the back of the queue would add whole intervals
        // (two hops: 0.3 s). A busy machine delays wake-ups, so the bound leaves 0.25 s for that.
        #expect(times.last! - times.first! < 7 * interval + 0.25, "\(times)")
    }

    @Test("keys without an interval are not paced")
    func unpacedKey() async throws {
        let pacer = RequestPacer(intervals: ["host": 10])
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 { try await pacer.waitTurn("other") }
        #expect(clock.now - start < .seconds(1))
    }
}
