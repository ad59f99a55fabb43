import AiShortsCore
import ArgumentParser
import Foundation

/// Where a command that runs jobs in its own process keeps them, and how many it makes at once
/// (`aishorts mcp`, `aishorts batch`): the same data folder and limits as `aishorts serve`.
struct JobHostOptions: ParsableArguments {
    @Option(help: "The data folder: queue, videos, uploads (default: $XDG_DATA_HOME/aishorts/server, as serve).")
    var data: String?

    @Option(help: "Shorts made at once.")
    var jobs = 2

    @Option(help: "A folder of footage specs may name (repeatable).")
    var library: [String] = []

    @Option(help: "Cache folder (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    @Option(help: "LLM config file (default: $AISHORTS_CONFIG or ~/.config/aishorts/config.yaml).")
    var config: String?

    @OptionGroup var models: ModelOptions

    /// The job host's configuration.
    func configuration() throws -> JobHost.Configuration {
        var configuration = JobHost.Configuration()
        if let data { configuration.data = URL(fileURLWithPath: data) }
        if let cacheDir { configuration.cache = URL(fileURLWithPath: cacheDir) }
        configuration.libraries = library.map { URL(fileURLWithPath: $0).standardizedFileURL }
        for folder in configuration.libraries {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw Runner.fail(JobError(.badRequest, "--library: no such folder \(folder.path)"))
            }
        }
        guard jobs >= 1 else { throw Runner.fail(JobError(.badRequest, "--jobs must be 1 or more")) }
        configuration.jobs = jobs
        configuration.memoryBudgetMB = models.memoryBudget
        configuration.releaseModels = models.idleRelease ?? .seconds(60)
        configuration.llmConfig = config.map { URL(fileURLWithPath: $0) }
        return configuration
    }
}
