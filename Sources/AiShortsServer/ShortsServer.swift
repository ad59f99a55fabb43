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
    /// The data folder, queue, models and workers behind the API.
    public let host: JobHost
    private let mcp: MCPSessions

    /// Opens the data folder (taking its lock), sweeps what a killed server left, and builds the API.
    /// - Parameter onRunning: called with the bound port once the server accepts connections.
    /// - Throws: ``JobError`` `storage` when the data folder is locked by another server or unwritable.
    public init(configuration: ServerConfiguration, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws {
        let metrics = ServerMetrics()
        host = try JobHost(configuration: configuration.jobHost, logger: logger, observer: metrics.observe)
        desk = host.desk
        runner = host.runner
        models = host.models
        mcp = MCPSessions(client: LocalShortsClient(desk: desk), logger: logger)
        let router = Self.router(configuration: configuration, desk: desk, runner: runner, metrics: metrics, models: models,
                                 voices: host.voices, mcp: mcp)
        var application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "aishorts"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // The group stops services in reverse order: the HTTP server first (no new requests, event
        // streams end), then the workers (grace, then requeue), then the models.
        for service in host.services { application.addServices(service) }
        let host = host
        application.beforeServerStarts {
            try await host.reclaimLeftovers(logger: logger)
        }
        self.application = application
    }

    static func router(configuration: ServerConfiguration, desk: JobDesk, runner: JobRunner, metrics: ServerMetrics, models: ModelManager,
                       voices: VoiceCatalog, mcp: MCPSessions) -> Router<BasicRequestContext> {
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
        HealthController(desk: desk, isStopping: stopping, tokenRequired: configuration.token != nil).add(to: router)
        JobsController(desk: desk, maxBodyBytes: configuration.maxBodyBytes, isStopping: stopping).add(to: router)
        JobEventsController(desk: desk, maxStreams: configuration.maxStreams).add(to: router)
        BatchesController(desk: desk, maxBodyBytes: configuration.maxBodyBytes, isStopping: stopping).add(to: router)
        JobFilesController(desk: desk).add(to: router)
        UploadsController(store: UploadStore(folders: desk.folders, maxBytes: configuration.maxUploadMB << 20)).add(to: router)
        VoicesController(samples: VoiceSamples(voices: voices)).add(to: router)
        OpenAPIController().add(to: router)
        MCPController(sessions: mcp, maxBodyBytes: configuration.maxBodyBytes).add(to: router)
        StudioController().add(to: router)
        MetricsController(metrics: metrics, queue: desk.queue, models: models).add(to: router)
        return router
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        let queue = desk.queue
        let mcp = mcp
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            // Event streams end at once: the HTTP server waits for open responses before the
            // workers are told to stop, and a stream follows a job that may run for minutes.
            queue.closeStreams()
            Task { await mcp.closeAll() }
        }
    }
}

extension HTTPField.Name {
    static var lastEventID: Self { HTTPField.Name("Last-Event-ID")! }
}
