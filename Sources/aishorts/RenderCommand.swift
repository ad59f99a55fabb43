import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts render SPEC.yaml`: renders a job spec.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a job spec (YAML; see docs/spec.md) into an MP4 and a run report."
    )

    @Argument(help: "The job spec file.")
    var spec: String

    @OptionGroup var options: RenderOptions

    func run() async throws {
        let file = URL(fileURLWithPath: spec)
        let loaded = try Runner.orExit { try JobSpec.load(from: file) }
        try await Runner.render(options.apply(to: loaded), options: options)
    }
}
