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

    @Option(help: "Seconds running jobs may go on after Ctrl-C or SIGTERM before they are stopped and put back in the queue.")
    var grace = 30.0

    @Option(help: .hidden)
    var lease: Double?

    @Option(help: "A file whose first line is the key webhooks are signed with (or set AISHORTS_WEBHOOK_SECRET): this worker then sends the webhooks of the jobs it ends.")
    var webhookSecretFile: String?

    @Flag(help: "Let webhooks go to loopback, private and link-local addresses.")
    var allowPrivateCallbacks = false

    @Flag(help: "Log model loads and queue reconnections.")
    var verbose = false

    /// `--data` is this worker's local scratch (renders happen there before they go to `--storage`);
    /// `--library` folders must have the same path on every worker.
    @OptionGroup var jobHost: JobHostOptions

    func run() async throws {
        var configuration = try jobHost.configuration()
        let url: PostgresURL
        do { url = try PostgresURL(database) } catch { throw Runner.fail(error) }
        configuration.database = url
        configuration.storage = URL(fileURLWithPath: storage).standardizedFileURL
        configuration.grace = .milliseconds(Int64(max(0, grace) * 1000))
        // LISTEN wakes an idle worker at once; the poll is only the safety net.
        configuration.runner.poll = .seconds(5)
        if let lease { configuration.runner.shortenLease(to: lease) }
        // The webhooks of the jobs this worker ends go out from here, signed with the API nodes' secret.
        configuration.webhookSecret = try ServeCommand.webhookSecret(file: webhookSecretFile)
        configuration.allowPrivateCallbacks = allowPrivateCallbacks
        var logger = Logger(label: "aishorts.worker")
        logger.logLevel = verbose ? .info : .notice

        // The scratch folder is this process's alone (its lock); what a worker killed with -9 left
        // there is stopped and removed. A dead worker's programs die with it (the host's keeper).
        let host: JobHost
        do { host = try JobHost(configuration: configuration, logger: logger) } catch { throw Runner.fail(error) }
        let jobs = configuration.jobs
        // Written whole, unbuffered: scripts and tests wait for this line.
        let worker = await host.runner.configuration.worker
        FileHandle.standardOutput.write(Data("aishorts worker: \(worker) on \(url) (\(jobs) at once; Ctrl-C stops)\n".utf8))
        let group = ServiceGroup(configuration: .init(services: host.services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { throw Runner.fail(error) }
    }
}
