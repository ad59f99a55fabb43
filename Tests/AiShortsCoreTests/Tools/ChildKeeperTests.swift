import Foundation
import Logging
import Testing
@testable import AiShortsCore

@Suite struct ChildKeeperTests {
    /// A program's line on stdout, then a long sleep in the same process (and so the same group).
    static let sleeper = ["-c", "echo started; exec sleep 300"]

    /// The keeper's process ending while a program it was told about still runs: the program is killed.
    /// Ending the keeper's input is exactly what the kernel does when the process holding it dies.
    /// Runs `sh arguments` (under `keeper` when given) and ends the keeper's run once the program has
    /// printed `started`; returns how the program ended.
    static func run(_ arguments: [String], under keeper: ChildKeeper?, ending keeperTask: Task<Void, any Error>) async throws -> ToolResult? {
        let started = Started()
        return try await ChildKeeper.$current.withValue(keeper) {
            try await withThrowingTaskGroup(of: ToolResult?.self) { group in
                group.addTask {
                    try await ToolRunner().stream(Tool(name: "sh"), arguments: arguments) { line in
                        if line == "started" { await started.mark() }
                    }
                }
                group.addTask {
                    await started.wait()
                    keeperTask.cancel()
                    return nil
                }
                var outcome: ToolResult?
                for try await value in group { if let value { outcome = value } }
                return outcome
            }
        }
    }

    /// The keeper's process ending while a program it was told about still runs: the program is killed.
    /// Ending the keeper's input is exactly what the kernel does when the process holding it dies.
    @Test func aProgramStillRunningWhenTheKeeperLosesItsProcessIsKilled() async throws {
        let keeper = ChildKeeper(logger: Logger(label: "test"))
        let keeperTask = Task { try await keeper.run() }
        let result = try await Self.run(Self.sleeper, under: keeper, ending: keeperTask)
        _ = try await keeperTask.value
        #expect(result?.status == "signal 9", "the sleeper was killed by the keeper: \(String(describing: result))")
    }

    /// Programs that end are forgotten, and one not announced is never touched.
    @Test func programsThatEndedAndProgramsOfOthersAreLeftAlone() async throws {
        let keeper = ChildKeeper(logger: Logger(label: "test"))
        let keeperTask = Task { try await keeper.run() }
        let quick = try await ChildKeeper.$current.withValue(keeper) {
            try await ToolRunner().run(Tool(name: "sh"), arguments: ["-c", "exit 3"])
        }
        #expect(quick.status == "exit status 3")
        // Not under the keeper: a short sleep that must end by itself.
        let outsider = try await Self.run(["-c", "echo started; exec sleep 1"], under: nil, ending: keeperTask)
        _ = try await keeperTask.value
        #expect(outsider?.status == "exit status 0", "\(String(describing: outsider))")
    }

    @Test func everyProgramUnderAKeeperLeadsItsOwnProcessGroup() async throws {
        let keeper = ChildKeeper(logger: Logger(label: "test"))
        let keeperTask = Task { try await keeper.run() }
        defer { keeperTask.cancel() }
        // `ps -o pgid= -p $$` run by the shell itself: its group is its own pid.
        let result = try await ChildKeeper.$current.withValue(keeper) {
            try await ToolRunner().run(Tool(name: "sh"), arguments: ["-c", "echo $$ $(ps -o pgid= -p $$)"])
        }
        let fields = String(decoding: result.stdout, as: UTF8.self).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.count == 2 && fields[0] == fields[1], "\(fields)")
    }
}

/// A one-shot signal between two tasks of a test.
private actor Started {
    private var done = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func mark() {
        done = true
        waiters.forEach { $0.resume() }
        waiters = []
    }

    func wait() async {
        if done { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
