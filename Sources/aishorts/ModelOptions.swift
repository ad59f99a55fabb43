import AiShortsCore
import ArgumentParser
import Logging

/// Options for the neural models' memory: when to release them, how much they may hold.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Release an unused model after this many seconds, or `now` as soon as it is unused.", valueName: "now|SECONDS"))
    var releaseModels = "60"

    @Option(help: ArgumentHelp("Memory the loaded models may hold together, in MB; a load beyond it waits for idle models to be released, or fails.", valueName: "MB"))
    var memoryBudget = 2048

    func validate() throws {
        guard idleRelease != nil else {
            throw ValidationError("--release-models must be `now` or a number of seconds, not \"\(releaseModels)\"")
        }
        guard memoryBudget >= 64 else { throw ValidationError("--memory-budget must be at least 64 (MB)") }
    }

    /// The idle time `--release-models` asks for.
    var idleRelease: Duration? {
        if releaseModels.lowercased() == "now" { return .zero }
        guard let seconds = Double(releaseModels), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The model manager's configuration; loads and releases are logged on stderr with `--verbose`.
    func configuration(verbose: Bool) -> ModelManager.Configuration {
        var logger = Logger(label: "aishorts.models")
        logger.logLevel = verbose ? .info : .warning
        return ModelManager.Configuration(idleRelease: idleRelease ?? .seconds(60), memoryBudget: memoryBudget << 20, logger: logger)
    }
}
