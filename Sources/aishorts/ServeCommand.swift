import AiShortsCore
import AiShortsServer
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `aishorts serve`: the REST API, the durable queue and the workers, until Ctrl-C or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the AiShorts API (/api/v1): a durable job queue making several shorts at once."
    )

    @Option(help: "The address to listen on; anything but loopback needs a token.")
    var host = "127.0.0.1"

    @Option(help: "The port (0 picks a free one).")
    var port = 8080

    @Option(help: "Seconds running jobs may go on after Ctrl-C or SIGTERM before they are stopped and put back in the queue.")
    var grace = 30.0

    @Option(help: "Jobs that may wait in the queue; beyond it, new ones get 429.")
    var maxQueued = 100

    @Option(help: "The largest upload, in MB.")
    var maxUploadMb = 500

    @Option(help: "A file whose first line is the bearer token clients must send (or set AISHORTS_TOKEN).")
    var tokenFile: String?

    @Option(help: "A file whose first line is the key webhooks are signed with (or set AISHORTS_WEBHOOK_SECRET); jobs may carry a callback_url only with one.")
    var webhookSecretFile: String?

    @Flag(help: "Let callback_url name loopback, private and link-local addresses (refused by default, so clients cannot make the server call into its own network).")
    var allowPrivateCallbacks = false

    @Option(help: "Let pages from this origin call the API (CORS), e.g. http://localhost:5173.")
    var cors: String?

    @Option(help: ArgumentHelp("Share a PostgreSQL job queue with other nodes instead of the embedded one (needs --storage; --jobs 0: API only).", valueName: "postgres://USER@HOST/DB"))
    var database: String?

    @Option(help: "With --database: the folder of videos, reports, posters and uploads every node shares (e.g. an NFS mount).")
    var storage: String?

    @Option(help: .hidden)
    var lease: Double?

    @Flag(help: "Log every request and model load.")
    var verbose = false

    @OptionGroup var jobHost: JobHostOptions


    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.jobHost = try jobHost.configuration(allowingNoWorkers: true)
        configuration.grace = .milliseconds(Int64(max(0, grace) * 1000))
        configuration.maxQueued = maxQueued
        configuration.maxUploadMB = maxUploadMb
        configuration.cors = cors
        if let tokenFile {
            do { configuration.token = try ServerConfiguration.token(fromFile: tokenFile) } catch {
                throw Runner.fail(JobError(.badRequest, "--token-file: cannot read \(tokenFile)"))
            }
        } else if let token = ProcessInfo.processInfo.environment["AISHORTS_TOKEN"], !token.isEmpty {
            configuration.token = token
        }
        configuration.webhookSecret = try Self.webhookSecret(file: webhookSecretFile)
        configuration.allowPrivateCallbacks = allowPrivateCallbacks
        if let database {
            do { configuration.database = try PostgresURL(database) } catch { throw Runner.fail(error) }
            guard let storage else {
                throw Runner.fail(JobError(.badRequest, "--database needs --storage DIR: the folder of videos and uploads every node shares"))
            }
            configuration.storage = URL(fileURLWithPath: storage).standardizedFileURL
        } else if storage != nil {
            throw Runner.fail(JobError(.badRequest, "--storage is for nodes sharing a --database queue; without one, outputs live in --data"))
        }
        if let lease { configuration.runner.shortenLease(to: lease) }
        if let problem = configuration.problem() { throw Runner.fail(JobError(.badRequest, problem)) }
        var logger = Logger(label: "aishorts.serve")
        logger.logLevel = verbose ? .info : .notice
        let displayHost = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let server: ShortsServer
        let dataPath = configuration.data.path
        do {
            server = try ShortsServer(configuration: configuration, logger: logger) { port in
                // Written whole, unbuffered: scripts and tests wait for this line to learn the port.
                FileHandle.standardOutput.write(Data("aishorts serve: http://\(displayHost):\(port) (data in \(dataPath); Ctrl-C stops)\n".utf8))
            }
        } catch {
            throw Runner.fail(error)
        }
        let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { throw Runner.fail(error) }
    }

    /// The webhook key from `--webhook-secret-file`, else `AISHORTS_WEBHOOK_SECRET`, else none.
    static func webhookSecret(file: String?) throws -> String? {
        if let file {
            do { return try ServerConfiguration.token(fromFile: file) } catch {
                throw Runner.fail(JobError(.badRequest, "--webhook-secret-file: cannot read \(file)"))
            }
        }
        let secret = ProcessInfo.processInfo.environment["AISHORTS_WEBHOOK_SECRET"] ?? ""
        return secret.isEmpty ? nil : secret
    }
}
