public import Foundation
public import Logging
public import ServiceLifecycle

/// This process's share of the job system: the data folder (locked), the queue, the shared models,
/// the workers and the desk every front door uses.
///
/// `aishorts serve` puts an HTTP server in front of it; `aishorts mcp` and `aishorts batch` use it
/// directly. Its long-lived parts (``services``) run in the caller's `ServiceGroup`; the data
/// folder stays locked for as long as the host lives, so two processes never share one queue file.
public struct JobHost: Sendable {
    /// What a host is told: where its files live and how much it may do at once.
    public struct Configuration: Sendable {
        /// The data folder (queue, jobs, uploads).
        public var data = DataFolders.defaultRoot
        /// The cache folder (narrations, downloads, probes), shared with the CLI.
        public var cache = DiskCache.defaultRoot
        /// Folders of footage specs may name besides their uploads.
        public var libraries: [URL] = []
        /// Jobs made at once (0: none here, an API-only node).
        public var jobs = 2
        /// Memory the renders and models may use together, in MB.
        public var memoryBudgetMB = 2048
        /// Idle time after which a model is released.
        public var releaseModels: Duration = .seconds(60)
        /// How long running jobs may go on once shutdown begins.
        public var grace: Duration = .seconds(30)
        /// Jobs that may wait.
        public var maxQueued = 100
        /// The LLM config file (default: `$AISHORTS_CONFIG` or `~/.config/aishorts/config.yaml`).
        public var llmConfig: URL?
        /// Lease and retry settings of the workers (tests shorten them).
        public var runner = JobRunner.Configuration()
        /// The key webhooks are signed with; without one, jobs may not carry a `callback_url`.
        public var webhookSecret: String?
        /// Whether callbacks may go to loopback, private and link-local addresses.
        public var allowPrivateCallbacks = false
        /// Webhook attempts and their first retry delay (tests shorten it).
        public var webhookRetryDelay: Duration = .seconds(2)
        /// The shared PostgreSQL queue (`--database`); `nil`: the embedded SQLite queue in ``data``.
        public var database: PostgresURL?
        /// The folder of videos, reports, posters and uploads shared by every node (`--storage`);
        /// `nil`: inside ``data``.
        public var storage: URL?

        /// Creates the defaults.
        public init() {}
    }

    /// The job operations.
    public let desk: JobDesk
    /// The workers (they run only as one of ``services``).
    public let runner: JobRunner
    /// The shared model manager.
    public let models: ModelManager
    /// The voices the workers narrate with (over ``models``).
    public let voices: VoiceCatalog
    /// Terminal states reached by this process's workers and by cancels at its desk, for webhooks.
    public let terminals: JobTerminals
    private let lock: DataFolderLock
    /// The embedded queue, when there is no shared one.
    private let sqlite: SQLiteJobQueue?
    /// The shared queue, when there is one.
    private let shared: PostgresJobQueue?

    /// Opens the data folder (taking its lock) and sweeps what a killed process left.
    /// - Parameter observer: told what the workers do (metrics).
    /// - Throws: ``JobError`` `storage` when another process holds the data folder or it is unwritable.
    public init(configuration: Configuration, logger: Logger,
                observer: @escaping @Sendable (JobRunner.Observation) -> Void = { _ in }) throws {
        let folders = DataFolders(root: configuration.data)
        lock = try DataFolderLock(folders)
        let orphans = folders.stopOrphanedRenders()
        if orphans > 0 { logger.notice("stopped \(orphans) render(s) a killed process left running") }
        folders.sweep()
        // With a shared queue, outputs and uploads live in the shared storage; `folders` is this
        // node's scratch. The shared storage is never swept: other nodes write there right now.
        let storage = configuration.storage.map { DataFolders(root: $0) } ?? folders
        if storage != folders { try storage.create() }
        let cache = DiskCache(root: configuration.cache)
        cache.sweepAbandonedScratch()
        let queue: any JobQueue
        if let url = configuration.database {
            let postgres = PostgresJobQueue(url: url, logger: logger)
            (shared, sqlite, queue) = (postgres, nil, postgres)
        } else {
            let embedded = try SQLiteJobQueue(path: folders.queue)
            (shared, sqlite, queue) = (nil, embedded, embedded)
        }
        var modelLogger = logger
        modelLogger.logLevel = min(logger.logLevel, .warning)
        models = ModelManager(configuration: .init(idleRelease: configuration.releaseModels,
                                                   memoryBudget: configuration.memoryBudgetMB << 20, logger: modelLogger))
        voices = VoiceCatalog(models: models)
        var pipeline = Pipeline(cache: cache, voices: voices)
        pipeline.keepsCaptions = true
        pipeline.index = try? MediaIndex(in: cache)
        var runnerConfiguration = configuration.runner
        runnerConfiguration.jobs = configuration.jobs
        runnerConfiguration.memoryBudget = configuration.memoryBudgetMB << 20
        runnerConfiguration.grace = configuration.grace
        let llmConfig = configuration.llmConfig
        let writer: @Sendable () throws -> ScriptWriter = {
            let settings = try LLMSettings.resolve(file: llmConfig)
            guard settings.isConfigured else { throw LLMSettings.notConfigured }
            return ScriptWriter(client: OpenAIChatClient(settings: settings), settings: settings, cache: cache)
        }
        let terminals = JobTerminals()
        self.terminals = terminals
        keeper = ChildKeeper(logger: logger)
        runner = JobRunner(queue: queue, pipeline: pipeline, folders: folders, storage: storage, libraries: configuration.libraries,
                           configuration: runnerConfiguration, keeper: keeper, writer: writer) { observation in
            observer(observation)
            if case .finished(let id, let state) = observation { terminals.publish(id, state) }
        }
        if configuration.jobs > 0 { shared?.wakes(runner) }
        presence = configuration.jobs > 0 ? shared.map { WorkerPresence(queue: $0, worker: runnerConfiguration.worker, jobs: configuration.jobs, logger: logger) } : nil
        var desk = JobDesk(queue: queue, runner: configuration.jobs > 0 ? runner : nil, folders: storage,
                           libraries: configuration.libraries,
                           limits: .init(maxQueued: configuration.maxQueued, webhooks: configuration.webhookSecret != nil,
                                         allowPrivateCallbacks: configuration.allowPrivateCallbacks)) {
            do {
                _ = try writer()
                return nil
            } catch {
                return String(describing: error)
            }
        }
        desk.onTerminal = { id, state in terminals.publish(id, state) }
        self.desk = desk
        if let secret = configuration.webhookSecret {
            var webhookConfiguration = WebhookDispatcher.Configuration(secret: secret, allowPrivate: configuration.allowPrivateCallbacks)
            webhookConfiguration.retryDelay = configuration.webhookRetryDelay
            webhooks = WebhookDispatcher(queue: queue, terminals: terminals, configuration: webhookConfiguration, logger: logger)
        } else {
            webhooks = nil
        }
    }

    /// The webhook deliveries, when a secret is configured.
    public let webhooks: WebhookDispatcher?

    /// The long-lived parts, in start order (a group stops them in reverse: workers first, then the
    /// webhooks of the jobs they finished during their grace, then the models, the presence row, and
    /// the keeper of their child processes).
    /// A shared queue's connections start first and stop last.
    public var services: [any Service] {
        var services: [any Service] = []
        if let shared { services.append(shared) }
        services.append(keeper)
        if let presence { services.append(presence) }
        services.append(models)
        if let webhooks { services.append(webhooks) }
        services.append(runner)
        return services
    }

    /// Tells the shared queue this process's workers are alive (for `aishorts queue status`), when it
    /// has a shared queue and workers.
    public let presence: WorkerPresence?

    /// Kills the workers' programs if this process dies (it stops after the workers).
    public let keeper: ChildKeeper

    /// Puts back the jobs a stopped process left running: with the embedded queue this process holds
    /// the data folder's lock, so a job still marked running belongs to nobody. They run again from
    /// the caches. With a shared queue other nodes' workers are alive: only expired leases go back.
    /// - Returns: how many went back.
    @discardableResult
    public func reclaimLeftovers(logger: Logger) async throws -> Int {
        guard let sqlite else { return 0 }
        let reclaimed = try await sqlite.reclaimAll(now: Date())
        if !reclaimed.isEmpty { logger.notice("requeued \(reclaimed.count) job(s) a stopped process left running") }
        _ = lock
        return reclaimed.count
    }
}
