import AiShortsCore
import ArgumentParser

/// The `aishorts` command: turns a script or a job spec into a vertical short video.
@main
struct AiShorts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aishorts",
        abstract: "Turn a script or a job spec into a finished short video (1080x1920 MP4).",
        version: "0.1.0",
        subcommands: [RenderCommand.self, MakeCommand.self]
    )
}
