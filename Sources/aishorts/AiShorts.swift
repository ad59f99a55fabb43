import AiShortsCore
import ArgumentParser

/// The `aishorts` command: turns a script or a job spec into a vertical short video.
@main
struct AiShorts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aishorts",
        abstract: "Turn a script or a job spec into a finished short video (MP4; 1080x1920 by default).",
        version: "0.1.0",
        subcommands: [RenderCommand.self, MakeCommand.self, WriteCommand.self, DoctorCommand.self]
    )
}
