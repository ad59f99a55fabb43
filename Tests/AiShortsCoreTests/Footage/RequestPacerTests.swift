import AiShortsTestSupport
import Foundation
import Testing

@testable import AiShortsCore

/// The per-host pacer's bookkeeping, on instants the test chooses (a busy machine cannot move them),
/// and its waits on a manual clock the test advances.
@Suite struct RequestPacerTests {
    func at(_ milliseconds: Int) -> Duration { .milliseconds(milliseconds) }

    @Test("turns are reserved an interval apart from the first, which starts at once")
    func reservations() async {
        let pacer = RequestPacer(intervals: ["host": 0.4])
        #expect(await pacer.reserve("host", now: at(0)) == at(0))
        #expect(await pacer.reserve("host", now: at(0)) == at(400))
        #expect(await pacer.reserve("host", now: at(10)) == at(800))
        // Once the queue has drained, a new caller starts at once again.
        #expect(await pacer.reserve("host", now: at(5_000)) == at(5_000))
    }

    @Test("a caller that wakes just before the interval after a late start waits only for that, not for the queue")
    func lateStartCostsOnlyTheDifference() async {
        let pacer = RequestPacer(intervals: ["host": 0.4])
        for _ in 0..<6 { _ = await pacer.reserve("host", now: at(0)) }  // turns at 0, 400, …, 2000
        #expect(await pacer.confirm("host", now: at(3)) == nil, "the first starts (3 ms late)")
        // The second wakes on time, 1 ms before 400 ms after the first's actual start.
        #expect(await pacer.confirm("host", now: at(401)) == at(403))
        #expect(await pacer.confirm("host", now: at(403)) == nil)
    }

    @Test("callers woken together after a stall go one interval apart")
    func stallDoesNotReleaseAllAtOnce() async {
        let pacer = RequestPacer(intervals: ["host": 0.4])
        for _ in 0..<3 { _ = await pacer.reserve("host", now: at(0)) }
        #expect(await pacer.confirm("host", now: at(0)) == nil)
        // The process stalls for 2 s: the callers due at 400 and 800 ms wake together.
        #expect(await pacer.confirm("host", now: at(2_000)) == nil)
        #expect(await pacer.confirm("host", now: at(2_001)) == at(2_400))
        #expect(await pacer.confirm("host", now: at(2_400)) == nil)
    }

    @Test("keys are paced separately, and keys without an interval not at all")
    func keys() async throws {
        let pacer = RequestPacer(intervals: ["a": 0.4, "b": 0.4])
        #expect(await pacer.confirm("a", now: at(0)) == nil)
        #expect(await pacer.confirm("b", now: at(1)) == nil)
        // A clock that never moves: an unpaced key must not wait on it at all.
        let clock = ManualClock()
        let still = RequestPacer(intervals: ["a": 0.4], clock: ErasedClock(clock))
        for _ in 0..<5 { try await still.waitTurn("other") }
        #expect(clock.sleeperCount == 0)
    }

    @Test("real waits: four callers on a 0.1 s interval go one at a time as the clock reaches each turn")
    func waitsOnTheClock() async throws {
        let clock = ManualClock()
        let pacer = RequestPacer(intervals: ["host": 0.1], clock: ErasedClock(clock))
        let started = EventCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await pacer.waitTurn("host"); started.increment() } }
            // The first starts at once; the other three wait for their turns.
            try await waitUntil("the first caller started and three wait") { started.value == 1 && clock.sleeperCount == 3 }
            for turn in 2...4 {
                clock.advance(by: .milliseconds(99))
                // Not yet: still an interval after the previous start.
                #expect(started.value == turn - 1)
                clock.advance(by: .milliseconds(1))
                try await waitUntil("caller \(turn) started") { started.value == turn }
            }
            try await group.waitForAll()
        }
        #expect(started.value == 4)
    }

    @Test("the real clock: four callers on a 0.1 s interval take at least 0.3 s")
    func realWaits() async throws {
        let pacer = RequestPacer(intervals: ["host": 0.1])
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await pacer.waitTurn("host") } }
            try await group.waitForAll()
        }
        // A lower bound: a busy machine only makes the waits longer.
        #expect(clock.now - start >= .milliseconds(295))
    }
}
