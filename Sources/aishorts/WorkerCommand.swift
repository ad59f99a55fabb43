import AiShortsCore
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `aishorts worker`: makes shorts from a shared PostgreSQL queue, with no HTTP port, until Ctrl-C or
/// SIGTERM. Run one per render machine; API nodes (`aishorts serve --database`) take the requests.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Make shorts from a shared PostgreSQL job queue (no HTTP port; see `aishorts serve --database`)."
    )

    @Option(help: ArgumentHelp("The shared queue (the password may come from PGPASSWORD).", valueName: "postgres://USER@HOST/DB"))
    var database: String

    @Option(help: "The folder of videos, reports, posters and uploads every node shares (e.g. an NFS mount).")
    var storage: String

    @Option(help: "Shorts made at once.")
    var jobs = 2

    @Option(help: "This worker's local scratch folder, where renders happen before they go to --storage (default: $XDG_DATA_HOME/aishorts/server).")
    var data: String?

    @Option(help: "A folder of footage specs may name (repeatable; the same path on every worker).")
    var library: [String] = []

    @Option(help: "Seconds running jobs may go on after Ctrl-C or SIGTERM before they are stopped and put back in the queue.")
    var grace = 30.0

    @Option(help: "Cache folder (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    @Option(help: "LLM config file (default: $AISHORTS_CONFIG or ~/.config/aishorts/config.yaml).")
    var config: String?

    @Option(help: .hidden)
    var lease: Double?

    @Option(help: "A file whose first line is the key webhooks are signed with (or set AISHORTS_WEBHOOK_SECRET): this worker then sends the webhooks of the jobs it ends.")
    var webhookSecretFile: String?

    @Flag(help: "Let webhooks go to loopback, private and link-local addresses.")
    var allowPrivateCallbacks = false

    @Flag(help: "Log model loads and queue reconnections.")
    var verbose = false

    @OptionGroup var models: ModelOptions

    func run() async throws {
        let url: PostgresURL
        do { url = try PostgresURL(database) } catch { throw Runner.fail(error) }
        guard jobs >= 1 else { throw Runner.fail(JobError.bad("--jobs", "a worker makes at least 1 short at once")) }
        let libraries = library.map { URL(fileURLWithPath: $0).standardizedFileURL }
        for folder in libraries where !FileManager.default.fileExists(atPath: folder.path) {
            throw Runner.fail(JobError.bad("--library", "no such folder \(folder.path)"))
        }
        var logger = Logger(label: "aishorts.worker")
        logger.logLevel = verbose ? .info : .notice

        // The scratch folder is this process's alone (its lock); a worker killed with -9 left renders
        // there, which are stopped now, and half-written files, which are removed.
        let folders = DataFolders(root: data.map { URL(fileURLWithPath: $0) } ?? DataFolders.defaultRoot)
        let storage = DataFolders(root: URL(fileURLWithPath: storage))
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock(folders)
            try storage.create()
        } catch { throw Runner.fail(error) }
        let orphans = folders.stopOrphanedRenders()
        if orphans > 0 { logger.notice("stopped \(orphans) render(s) a killed worker left running") }
        folders.sweep()
        let cache = cacheDir.map { DiskCache(root: URL(fileURLWithPath: $0)) } ?? DiskCache(root: DiskCache.defaultRoot)
        cache.sweepAbandonedScratch()

        let queue = PostgresJobQueue(url: url, logger: logger)
        let manager = ModelManager(configuration: models.configuration(verbose: verbose))
        var pipeline = Pipeline(cache: cache, voices: VoiceCatalog(models: manager))
        pipeline.keepsCaptions = true
        pipeline.index = try? MediaIndex(in: cache)
        var runnerConfiguration = JobRunner.Configuration(jobs: jobs, memoryBudget: models.memoryBudget << 20,
                                                          grace: .milliseconds(Int64(max(0, grace) * 1000)),
                                                          poll: .seconds(5))
        if let lease { runnerConfiguration.shortenLease(to: lease) }
        let llmConfig = config.map { URL(fileURLWithPath: $0) }
        // The webhooks of the jobs this worker ends go out from here, signed with the same secret
        // as the API nodes'.
        let terminals = JobTerminals()
        let webhooks = try ServeCommand.webhookSecret(file: webhookSecretFile).map { secret in
            WebhookDispatcher(queue: queue, terminals: terminals,
                              configuration: .init(secret: secret, allowPrivate: allowPrivateCallbacks), logger: logger)
        }
        // A worker killed with -9 takes its encoders with it: the attempt that reclaims its job
        // never races a leftover ffmpeg writing into the shared storage.
        let keeper = ChildKeeper(logger: logger)
        let runner = JobRunner(queue: queue, pipeline: pipeline, folders: folders, storage: storage, libraries: libraries,
                               configuration: runnerConfiguration, keeper: keeper, writer: {
            let settings = try LLMSettings.resolve(file: llmConfig)
            guard settings.isConfigured else { throw LLMSettings.notConfigured }
            return ScriptWriter(client: OpenAIChatClient(settings: settings), settings: settings, cache: cache)
        }, observer: { observation in
            if case .finished(let id, let state) = observation { terminals.publish(id, state) }
        })
        queue.wakes(runner)
        let presence = WorkerPresence(queue: queue, worker: runnerConfiguration.worker, jobs: jobs, logger: logger)
        // Written whole, unbuffered: scripts and tests wait for this line.
        FileHandle.standardOutput.write(Data("aishorts worker: \(runnerConfiguration.worker) on \(url) (\(jobs) at once; Ctrl-C stops)\n".utf8))
        // Services stop in reverse order: the runner (grace, then requeue), the models, the presence
        // row, the keeper of child processes, and last the queue's connections.
        let services: [any Service] = [queue, keeper, presence, manager] + (webhooks.map { [$0] } ?? []) + [runner]
        let group = ServiceGroup(configuration: .init(services: services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { throw Runner.fail(error) }
        _ = lock
    }
}
