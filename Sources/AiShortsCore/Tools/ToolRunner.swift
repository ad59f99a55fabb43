public import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Runs the external programs AiShorts relies on (ffmpeg, ffprobe, espeak-ng) without blocking a thread.
///
/// A non-zero exit is a normal ``ToolResult``, not a thrown error: only the stage that knows what the
/// tool means decides whether it is a failure. Cancelling the calling task sends SIGTERM, then SIGKILL
/// after two seconds, so no child outlives the job. stderr is always kept (its tail) for error messages.
public struct ToolRunner: Sendable {
    /// The most stdout bytes kept by ``run(_:arguments:input:)``; larger outputs are refused.
    public static let stdoutLimit = 64 * 1024 * 1024

    /// Number of stderr lines kept by default for error messages.
    public static let stderrTailLines = 12

    /// Number of stderr lines this runner keeps.
    public var keptStderrLines: Int

    /// Whether the program runs in a process group of its own that cancellation signals as a whole:
    /// for programs that start their own children (yt-dlp runs ffmpeg), which would otherwise outlive
    /// a cancelled job.
    public var signalsProcessGroup: Bool

    /// Creates a runner that keeps the last `keptStderrLines` lines of stderr.
    public init(keptStderrLines: Int = ToolRunner.stderrTailLines, signalsProcessGroup: Bool = false) {
        self.keptStderrLines = keptStderrLines
        self.signalsProcessGroup = signalsProcessGroup
    }

    /// Runs `tool` to completion and collects its stdout and the tail of its stderr.
    ///
    /// - Important: with `input`, a program that exits without reading it makes the write fail with
    ///   SIGPIPE, which kills a process that does not ignore that signal (the CLI does; a test runner
    ///   may not). Prefer passing data through a file, as ``EspeakNarrator`` does.
    /// - Throws: ``ToolError`` when the program is not installed or cannot be started; `CancellationError`
    ///   when the task was cancelled. A non-zero exit status is not thrown.
    public func run(_ tool: Tool, arguments: [String], input: Data? = nil) async throws -> ToolResult {
        let executable = try tool.resolved()
        let keeper = ChildKeeper.current
        // Released however the run ends (an exit, a failure, a cancellation that tore the process down).
        var started: Int32?
        defer { if let started { keeper?.release(started) } }
        do {
            let result: ExecutionResult<Void, BytesOutput, StringOutput<UTF8>>
            if let input {
                result = try await Subprocess.run(
                    .path(.init(executable)),
                    arguments: Arguments(arguments),
                    platformOptions: options(keeper),
                    input: .array(Array(input)),
                    output: .bytes(limit: Self.stdoutLimit),
                    error: .string(limit: 1 << 20)
                ) { execution in started = Self.adopt(execution.processIdentifier.value, keeper) }
            } else {
                result = try await Subprocess.run(
                    .path(.init(executable)),
                    arguments: Arguments(arguments),
                    platformOptions: options(keeper),
                    input: .none,
                    output: .bytes(limit: Self.stdoutLimit),
                    error: .string(limit: 1 << 20)
                ) { execution in started = Self.adopt(execution.processIdentifier.value, keeper) }
            }
            try Task.checkCancellation()
            return ToolResult(
                tool: tool.name,
                status: Self.describe(result.terminationStatus),
                isSuccess: result.terminationStatus.isSuccess,
                stdout: Data(result.standardOutput),
                stderrTail: Self.tail(of: result.standardError, keeping: keptStderrLines)
            )
        } catch let error as SubprocessError {
            try Task.checkCancellation()
            throw ToolError(tool: tool.name, reason: "\(error)")
        }
    }

    /// Runs `tool`, handing each stdout line to `onLine` as it arrives while stderr is collected.
    ///
    /// Used for ffmpeg's `-progress pipe:1`. Both pipes are drained concurrently so neither can fill up.
    /// - Throws: as ``run(_:arguments:input:)``; errors thrown by `onLine` end the process and propagate.
    public func stream(
        _ tool: Tool,
        arguments: [String],
        workingDirectory: URL? = nil,
        onLine: @escaping @Sendable (String) async throws -> Void
    ) async throws -> ToolResult {
        let executable = try tool.resolved()
        let keeper = ChildKeeper.current
        var started: Int32?
        defer { if let started { keeper?.release(started) } }
        do {
            let result = try await Subprocess.run(
                .path(.init(executable)),
                arguments: Arguments(arguments),
                workingDirectory: workingDirectory.map { FilePath($0.path) },
                platformOptions: options(keeper),
                input: .none,
                output: .sequence,
                error: .string(limit: 1 << 20)
            ) { execution in
                started = Self.adopt(execution.processIdentifier.value, keeper)
                for try await line in execution.standardOutput.strings() {
                    try await onLine(line)
                }
            }
            try Task.checkCancellation()
            return ToolResult(
                tool: tool.name,
                status: Self.describe(result.terminationStatus),
                isSuccess: result.terminationStatus.isSuccess,
                stdout: Data(),
                stderrTail: Self.tail(of: result.standardError, keeping: keptStderrLines)
            )
        } catch let error as SubprocessError {
            try Task.checkCancellation()
            throw ToolError(tool: tool.name, reason: "\(error)")
        }
    }

    /// Under a ``ChildKeeper`` every program leads a group of its own, so the keeper can kill it (and
    /// what it started) if this process dies.
    private func options(_ keeper: ChildKeeper?) -> PlatformOptions {
        var options = PlatformOptions()
        let ownGroup = signalsProcessGroup || keeper != nil
        if ownGroup {
            // A new group led by the child (pgid = its pid), so the group signal never reaches us.
            options.processGroupID = 0
        }
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: ownGroup, allowedDurationToNextStep: .seconds(2))]
        return options
    }

    private static func adopt(_ pid: Int32, _ keeper: ChildKeeper?) -> Int32 {
        keeper?.adopt(pid)
        return pid
    }

    private static func describe(_ status: TerminationStatus) -> String {
        switch status {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }

    static func tail(of stderr: String, keeping count: Int) -> [String] {
        let lines = stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return Array(lines.suffix(count))
    }
}
