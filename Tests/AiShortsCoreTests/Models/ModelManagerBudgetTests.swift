@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Synchronization
import Testing

/// The memory budget's bookkeeping: models here are small objects that claim a size, so the test
/// controls exactly what the budget sees.
@Suite("ModelManager budget")
struct ModelManagerBudgetTests {
    final class Weights: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    static let megabyte = 1 << 20

    final class Log: Sendable {
        private let store = Mutex<[String]>([])
        func append(_ line: String) { store.withLock { $0.append(line) } }
        var lines: [String] { store.withLock { $0 } }
    }

    /// A request for a model that accounts for `megabytes`, counting its loads.
    static func request(_ name: String, megabytes: Int) -> ModelRequest<Weights> {
        ModelRequest(id: "test:\(name)", name: name, path: URL(fileURLWithPath: "/models/\(name)"),
                     estimatedBytes: megabytes * megabyte) {
            Weights(name)
        }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("a load that does not fit releases idle models, least recently used first")
    func releasesIdleModelsToMakeRoom() async throws {
        let manager = ModelManager(configuration: .init(idleRelease: .seconds(60), memoryBudget: 250 * Self.megabyte))
        _ = try await manager.withModel(Self.request("a", megabytes: 100)) { $0.name }
        _ = try await manager.withModel(Self.request("b", megabytes: 100)) { $0.name }
        #expect(await manager.loadedModels == ["test:a", "test:b"])
        _ = try await manager.withModel(Self.request("c", megabytes: 100)) { $0.name }
        #expect(await manager.loadedModels == ["test:b", "test:c"], "a was idle longest")
        #expect(await manager.accountedBytes <= 250 * Self.megabyte)
    }

    @Test("a load waits for a model in use to become idle, then proceeds")
    func waitsForBusyModel() async throws {
        let clock = ManualClock()
        let manager = ModelManager(configuration: .init(idleRelease: .seconds(60), memoryBudget: 150 * Self.megabyte,
                                                        budgetWait: .seconds(10), clock: ErasedClock(clock)))
        let order = Log()
        let (holding, release) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await manager.withModel(Self.request("busy", megabytes: 100)) { _ in
                    for await _ in holding { break }
                    order.append("busy done")
                }
            }
            try await waitUntil("busy loaded") { await manager.isLoaded("test:busy") }
            group.addTask {
                try await manager.withModel(Self.request("next", megabytes: 100)) { _ in
                    order.append("next ran")
                }
            }
            // "next" waits for room (the clock never reaches its 10 s limit), until "busy" is done.
            try await waitUntil("next waiting for room") { await manager.budgetWaiters.count == 1 }
            #expect(order.lines.isEmpty)
            release.yield()
            release.finish()
            try await group.waitForAll()
        }
        #expect(order.lines == ["busy done", "next ran"])
        #expect(await manager.loadedModels == ["test:next"])
    }

    @Test("no room in time is a clear error, and nothing is overcommitted")
    func failsWhenNoRoomInTime() async throws {
        let clock = ManualClock()
        let manager = ModelManager(configuration: .init(memoryBudget: 150 * Self.megabyte, budgetWait: .milliseconds(200),
                                                        clock: ErasedClock(clock)))
        try await manager.withModel(Self.request("busy", megabytes: 100)) { _ in
            let late = Task { try await manager.withModel(Self.request("late", megabytes: 100)) { $0.name } }
            try await waitUntil("late waiting for room") { await manager.budgetWaiters.count == 1 }
            clock.advance(by: .milliseconds(199))
            #expect(await manager.budgetWaiters.count == 1, "still waiting before the limit")
            clock.advance(by: .milliseconds(1))
            do {
                _ = try await late.value
                Issue.record("a load beyond the budget succeeded")
            } catch let error as ModelError {
                #expect(error.code == .overBudget)
                #expect(error.message.contains("held by models in use (busy)"))
                #expect(error.message.contains("raise --memory-budget"))
            }
            #expect(await manager.accountedBytes == 100 * Self.megabyte)
        }
    }

    @Test("a load waiting for room stops as soon as its job is cancelled")
    func cancelledWhileWaiting() async throws {
        // The clock never moves: only cancellation can end the wait.
        let clock = ManualClock()
        let manager = ModelManager(configuration: .init(memoryBudget: 150 * Self.megabyte, budgetWait: .seconds(60),
                                                        clock: ErasedClock(clock)))
        try await manager.withModel(Self.request("busy", megabytes: 100)) { _ in
            let waiting = Task { try await manager.withModel(Self.request("late", megabytes: 100)) { $0.name } }
            try await waitUntil("late waiting for room") { await manager.budgetWaiters.count == 1 }
            waiting.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        }
        #expect(await manager.loadedModels == ["test:busy"])
    }

    @Test("a model larger than the whole budget fails at once")
    func modelLargerThanBudget() async throws {
        // The clock never moves, so the error cannot come from a wait running out.
        let clock = ManualClock()
        let manager = ModelManager(configuration: .init(memoryBudget: 64 * Self.megabyte, clock: ErasedClock(clock)))
        await #expect(throws: ModelError.self) {
            _ = try await manager.withModel(Self.request("huge", megabytes: 100)) { $0.name }
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test("a failed load is shared by its waiters and leaves no entry")
    func failedLoad() async throws {
        let manager = ModelManager()
        let loads = Counter()
        let failing = ModelRequest<Weights>(id: "test:broken", name: "broken", path: URL(fileURLWithPath: "/broken"), estimatedBytes: 1) {
            loads.increment()
            Thread.sleep(forTimeInterval: 0.1)
            throw ModelError(.badModel, "cannot load model broken: truncated")
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do { _ = try await manager.withModel(failing) { $0.name }; return false } catch { return true }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 4)
        #expect(loads.value == 1)
        #expect(await manager.loadedModels.isEmpty)
    }
}
