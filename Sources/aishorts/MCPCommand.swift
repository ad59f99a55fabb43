import AiShortsCore
import AiShortsServer
import ArgumentParser
import Foundation
import Logging
import MCP
import ServiceLifecycle
import UnixSignals

/// `aishorts mcp`: the AiShorts tools for an agent over stdio (MCP), making shorts in this process
/// with the same queue as `aishorts serve`. Nothing but MCP messages goes to stdout; logs go to stderr.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the AiShorts tools to an agent over stdio (Model Context Protocol)."
    )

    @Option(help: "Drive this running aishorts serve (its token from AISHORTS_TOKEN) instead of making shorts in this process.")
    var server: String?

    @OptionGroup var host: JobHostOptions

    @Flag(help: "Log each job and model load to stderr.")
    var verbose = false

    func run() async throws {
        var logger = Logger(label: "aishorts.mcp") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        if let server {
            let client: RemoteShortsClient
            do {
                client = try RemoteShortsClient(server: URL(string: server) ?? URL(fileURLWithPath: "/"), token: ProcessInfo.processInfo.environment["AISHORTS_TOKEN"])
            } catch { throw Runner.fail(error) }
            let stdio = MCPStdioService(client: client, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: stdio, successTerminationBehavior: .gracefullyShutdownGroup)],
                                                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            defer { Task { await client.shutdown() } }
            do { try await group.run() } catch { throw Runner.fail(error) }
            return
        }
        let jobHost: JobHost
        do { jobHost = try JobHost(configuration: try host.configuration(), logger: logger) } catch let error as JobError {
            throw Runner.fail(JobError(error.code, "\(error.message) (or drive that server: aishorts serve offers the same tools at /mcp)"))
        }
        try await jobHost.reclaimLeftovers(logger: logger)
        let stdio = MCPStdioService(client: LocalShortsClient(desk: jobHost.desk), logger: logger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = jobHost.services.map { .init(service: $0) }
            + [.init(service: stdio, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { throw Runner.fail(error) }
    }
}

/// The MCP server on stdin and stdout, until the agent closes stdin or the process is told to stop.
struct MCPStdioService: Service {
    let client: any ShortsClient
    let logger: Logger

    func run() async throws {
        let server = await ShortsMCP.makeServer(client: client)
        try await server.start(transport: StdioTransport(logger: logger))
        await withGracefulShutdownHandler {
            await server.waitUntilCompleted()
        } onGracefulShutdown: {
            Task { await server.stop() }
        }
    }
}
