public import AiShortsCore
import Foundation
public import HTTPTypes
import Hummingbird
import Logging
public import ServiceLifecycle

/// The AiShorts server: the REST API over one job queue, the workers that make the shorts, and the
/// model manager they share, run as services of one application.
///
/// Build it with ``init(configuration:logger:onRunning:)``, then `run()` it inside a `ServiceGroup`
/// (the CLI does, with SIGINT and SIGTERM as graceful shutdown). Shutdown stops new jobs, ends event
/// streams at once, gives running jobs the configured grace and puts back the ones that did not finish.
public struct ShortsServer: Service {
    /// The HTTP application (it runs the other services too).
    let application: Application<RouterResponder<BasicRequestContext>>
    /// The job operations, for tests and other front doors.
    public let desk: JobDesk
    /// The workers.
    public let runner: JobRunner
    /// The shared model manager.
    public let models: ModelManager
    private let lock: DataFolderLock

    /// Opens the data folder (taking its lock), sweeps what a killed process left, and builds the API.
    /// - Parameter onRunning: called with the bound port once the server accepts connections.
    /// - Throws: ``JobError`` `storage` when the data folder is locked by another server or unwritable.
    public init(configuration: ServerConfiguration, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws {
        let folders = DataFolders(root: configuration.data)
        lock = try DataFolderLock(folders)
        let orphans = folders.stopOrphanedRenders()
        if orphans > 0 { logger.notice("stopped \(orphans) render(s) a killed server left running") }
        folders.sweep()
        // With a shared queue, outputs and uploads live in the shared storage; `folders` is this
        // node's scratch. The shared storage is never swept: other nodes write there right now.
        let storage = configuration.storage.map { DataFolders(root: $0) } ?? folders
        if storage != folders { try storage.create() }
        let cache = DiskCache(root: configuration.cache)
        cache.sweepAbandonedScratch()
        let shared = configuration.database.map { PostgresJobQueue(url: $0, logger: logger) }
        let queue: any JobQueue
        if let shared { queue = shared } else { queue = try SQLiteJobQueue(path: folders.queue) }
        var modelLogger = logger
        modelLogger.logLevel = min(logger.logLevel, .warning)
        models = ModelManager(configuration: .init(idleRelease: configuration.releaseModels, memoryBudget: configuration.memoryBudgetMB << 20, logger: modelLogger))
        var pipeline = Pipeline(cache: cache, voices: VoiceCatalog(models: models))
        pipeline.keepsCaptions = true
        pipeline.index = try? MediaIndex(in: cache)
        let metrics = ServerMetrics()
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
        runner = JobRunner(queue: queue, pipeline: pipeline, folders: folders, storage: storage, libraries: configuration.libraries,
                           configuration: runnerConfiguration, writer: writer, observer: metrics.observe)
        desk = JobDesk(queue: queue, runner: configuration.jobs > 0 ? runner : nil, folders: storage, libraries: configuration.libraries,
                       limits: .init(maxQueued: configuration.maxQueued)) {
            do {
                _ = try writer()
                return nil
            } catch {
                return String(describing: error)
            }
        }
        let router = Self.router(configuration: configuration, desk: desk, runner: runner, metrics: metrics, models: models)
        var application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "aishorts"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // The group stops services in reverse order: the HTTP server first (no new requests, event
        // streams end), then the workers (grace, then requeue), then the models.
        if let shared {
            // The queue's pool and listener start first and stop last. Other nodes' workers are alive:
            // nothing is reclaimed at start, only leases that run out.
            if configuration.jobs > 0 { shared.wakes(runner) }
            application.addServices(shared, models, runner)
        } else if let sqlite = queue as? SQLiteJobQueue {
            application.addServices(models, runner)
            application.beforeServerStarts {
                // This process holds the data folder's lock: a job still marked running was left by a
                // process that died. It goes back to the queue and runs again from the caches.
                let reclaimed = try await sqlite.reclaimAll(now: Date())
                if !reclaimed.isEmpty { logger.notice("requeued \(reclaimed.count) job(s) a stopped server left running") }
            }
        }
        self.application = application
    }

    static func router(configuration: ServerConfiguration, desk: JobDesk, runner: JobRunner, metrics: ServerMetrics, models: ModelManager) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        if let origin = configuration.cors {
            router.middlewares.add(CORSMiddleware(
                allowOrigin: .custom(origin),
                allowHeaders: [.accept, .authorization, .contentType, .origin, .lastEventID, JobsController<BasicRequestContext>.idempotencyKey],
                allowMethods: [.get, .post, .put, .delete, .head, .options],
                exposedHeaders: ["Location", "Content-Range", "ETag", "Retry-After"]
            ))
        }
        if let token = configuration.token { router.middlewares.add(TokenMiddleware(token: token)) }
        let stopping: @Sendable () -> Bool = { runner.isStopping }
        HealthController(desk: desk, isStopping: stopping).add(to: router)
        JobsController(desk: desk, maxBodyBytes: configuration.maxBodyBytes, isStopping: stopping).add(to: router)
        JobEventsController(desk: desk, maxStreams: configuration.maxStreams).add(to: router)
        JobFilesController(desk: desk).add(to: router)
        UploadsController(store: UploadStore(folders: desk.folders, maxBytes: configuration.maxUploadMB << 20)).add(to: router)
        VoicesController().add(to: router)
        OpenAPIController().add(to: router)
        MetricsController(metrics: metrics, queue: desk.queue, models: models).add(to: router)
        return router
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        let queue = desk.queue
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            // Event streams end at once: the HTTP server waits for open responses before the
            // workers are told to stop, and a stream follows a job that may run for minutes.
            queue.closeStreams()
        }
        _ = lock
    }
}

extension HTTPField.Name {
    static var lastEventID: Self { HTTPField.Name("Last-Event-ID")! }
}
