import Foundation
public import Logging
public import ServiceLifecycle
import Subprocess
import SystemPackage

/// Makes the programs a long-lived process starts (ffmpeg, espeak-ng, yt-dlp) die with it, even when it
/// is killed with SIGKILL and runs no code of its own.
///
/// A small keeper program (POSIX `sh`) runs beside the process, reading a pipe the process holds open.
/// Every program started while ``current`` is set runs in a process group of its own, announced to the
/// keeper when it starts (`+GROUP`) and when it ends (`-GROUP`). When the process dies for any reason,
/// the kernel closes its end of the pipe; the keeper reads end-of-file and kills every group still
/// announced. So a worker killed with -9 leaves no encoder racing the attempt that reclaims its job.
///
/// Why not `PR_SET_PDEATHSIG`: Linux sends that signal when the *thread* that started the child exits,
/// and Swift's concurrency threads come and go with the load, so children would be killed at random.
///
/// The keeper ignores SIGINT, SIGTERM and SIGHUP so that a Ctrl-C meant for the process cannot stop it
/// before it has cleaned up. A program is announced just after it starts: a death in between leaves
/// that one program running (the data folder's sweep at the next start stops a leftover ffmpeg).
public struct ChildKeeper: Service {
    /// The keeper of the programs the current task starts; set by ``JobRunner`` around its jobs.
    @TaskLocal public static var current: ChildKeeper?

    private let messages: AsyncStream<String>
    private let sink: AsyncStream<String>.Continuation
    private let logger: Logger

    /// Creates a keeper; it starts its program when run as a service.
    public init(logger: Logger) {
        // Unbounded, but holds at most two short lines per program started while the keeper is busy.
        (messages, sink) = AsyncStream.makeStream(of: String.self)
        self.logger = logger
    }

    /// Announces a program's process group (its pid: each program leads its own group).
    func adopt(_ group: Int32) { sink.yield("+\(group)\n") }

    /// Says a program's process group has ended and must not be killed.
    func release(_ group: Int32) { sink.yield("-\(group)\n") }

    /// Runs the keeper program and feeds it announcements until graceful shutdown, when it exits
    /// quietly (every program ended by then has been released).
    ///
    /// A keeper that cannot start is logged and the process goes on without one: its programs then die
    /// with it only when it exits normally.
    public func run() async throws {
        var options = PlatformOptions()
        // Its own group: a signal to the process's group (a terminal's Ctrl-C) does not reach it.
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(1))]
        let messages = self.messages
        do {
            _ = try await Subprocess.run(
                .path("/bin/sh"),
                arguments: ["-c", Self.script],
                platformOptions: options,
                input: .inputWriter,
                output: .discarded,
                error: .discarded
            ) { execution in
                let writer = execution.standardInputWriter
                await cancelWhenGracefulShutdown {
                    for await line in messages {
                        do { _ = try await writer.write(line) } catch { break }
                    }
                }
                try await writer.finish()
            }
        } catch {
            logger.warning("cannot start the keeper of child processes (/bin/sh): \(error); render processes will not die with a killed worker")
            await cancelWhenGracefulShutdown {
                for await _ in messages {}
            }
        }
    }

    /// Reads `+GROUP` / `-GROUP` lines; at end of input kills the groups still announced.
    static let script = """
        trap '' INT TERM HUP
        groups=' '
        while IFS= read -r line; do
          case $line in
            +*) groups="$groups${line#+} " ;;
            -*) kept=' '; for g in $groups; do [ "$g" = "${line#-}" ] || kept="$kept$g "; done; groups=$kept ;;
          esac
        done
        for g in $groups; do kill -9 "-$g" 2>/dev/null; done
        """
}
