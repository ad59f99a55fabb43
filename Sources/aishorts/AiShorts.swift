import AiShortsCore
import ArgumentParser
import Foundation

/// The `aishorts` command: turns a script or a job spec into a vertical short video.
@main
struct AiShorts: AsyncParsableCommand {
    static func main() async {
        // A closed stdout (`aishorts … | head`) should be a write error, not a kill.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "aishorts",
        abstract: "Turn a script or a job spec into a finished short video (MP4; 1080x1920 by default).",
        version: "0.1.0",
        subcommands: [RenderCommand.self, MakeCommand.self, WriteCommand.self, ServeCommand.self, WorkerCommand.self, QueueCommand.self, MCPCommand.self, BatchCommand.self, VoicesCommand.self, ModelsCommand.self, LibraryCommand.self, DoctorCommand.self]
    )
}
