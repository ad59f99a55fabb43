import AiShortsCore
import ArgumentParser
import Foundation

/// Where a command that runs jobs in its own process keeps them, and how many it makes at once
/// (`aishorts serve`, `mcp`, `batch` and `worker`): one data folder and the same limits.
struct JobHostOptions: ParsableArguments {
    @Option(help: "The data folder: renders in progress, the queue (without --database), videos and uploads (without --storage) (default: $XDG_DATA_HOME/aishorts/server).")
    var data: String?

    @Option(help: "Shorts made at once (for serve, 0 makes an API-only node).")
    var jobs = 2

    @Option(help: "A folder of footage specs may name (repeatable); for serve, the only files API clients may name besides their uploads.")
    var library: [String] = []

    @Option(help: "Cache folder (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    @Option(help: "LLM config file (default: $AISHORTS_CONFIG or ~/.config/aishorts/config.yaml).")
    var config: String?

    @OptionGroup var models: ModelOptions

    /// The job host's configuration.
    /// - Parameter allowingNoWorkers: whether `--jobs 0` is allowed (a server that only queues).
    func configuration(allowingNoWorkers: Bool = false) throws -> JobHost.Configuration {
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
        guard jobs >= (allowingNoWorkers ? 0 : 1) else { throw Runner.fail(JobError(.badRequest, "--jobs must be \(allowingNoWorkers ? 0 : 1) or more")) }
        configuration.jobs = jobs
        configuration.memoryBudgetMB = models.memoryBudget
        configuration.releaseModels = models.idleRelease ?? .seconds(60)
        configuration.llmConfig = config.map { URL(fileURLWithPath: $0) }
        return configuration
    }
}
