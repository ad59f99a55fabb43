import AiShortsCore
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `aishorts batch MANIFEST`: makes every short a manifest lists, here or on a server; a rerun skips
/// what was made from the same request.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Make every short a manifest (.yaml or .csv) lists; a rerun skips those already made.",
        discussion: """
        A manifest lists shorts with the options of POST /api/v1/jobs; script and spec name files \
        relative to the manifest:
          defaults: { voice: "espeak:en-us", preset: ultrafast }
          shorts:
            - { script: scripts/bees.txt, title: Bees, output: bees.mp4 }
            - { topic: "ants that farm fungus", output: ants.mp4 }
        The whole manifest is checked before anything runs. Exit status 0 when every short was made or skipped.
        """
    )

    @Argument(help: "The manifest: YAML (defaults, shorts) or CSV (one row per short, the keys as columns).")
    var manifest: String

    @Option(help: "Where the videos go (default: the manifest's folder).")
    var outputDir: String?

    @Option(help: "Submit to this running aishorts serve (its token from AISHORTS_TOKEN) instead of making the shorts here.")
    var server: String?

    @OptionGroup var host: JobHostOptions

    func run() async throws {
        let file = URL(fileURLWithPath: manifest)
        let parsed: BatchManifest
        do {
            parsed = try BatchManifest.load(file, outputDirectory: outputDir.map { URL(fileURLWithPath: $0) })
        } catch {
            throw Runner.fail(BatchError("\(file.lastPathComponent): \(error.description)"))
        }
        let table = BatchTable(entries: parsed.entries, interactive: isatty(STDOUT_FILENO) == 1)
        let update: @Sendable (Int, BatchRun.Status) -> Void = { index, status in Task { await table.update(index, status) } }
        let summary: BatchRun.Summary
        if let server {
            let client: RemoteShortsClient
            do {
                client = try RemoteShortsClient(server: URL(string: server) ?? URL(fileURLWithPath: "/"), token: ProcessInfo.processInfo.environment["AISHORTS_TOKEN"])
            } catch { throw Runner.fail(error) }
            summary = await BatchRun(manifest: parsed, client: client, parallel: 8, onUpdate: update).run()
            await client.shutdown()
        } else {
            summary = try await runLocally(parsed, folder: file.deletingLastPathComponent(), update: update)
        }
        await table.finish()
        print(Self.describe(summary, count: parsed.entries.count))
        if !summary.succeeded { throw ExitCode(1) }
    }

    /// Runs the batch with this process's own workers, as `aishorts serve` would.
    private func runLocally(_ manifest: BatchManifest, folder: URL, update: @escaping @Sendable (Int, BatchRun.Status) -> Void) async throws -> BatchRun.Summary {
        var logger = Logger(label: "aishorts.batch") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        var configuration = try host.configuration()
        // A spec in the manifest may name footage in the manifest's folder.
        configuration.libraries.append(folder.standardizedFileURL)
        configuration.maxQueued = max(configuration.maxQueued, manifest.entries.count)
        let jobHost: JobHost
        do { jobHost = try JobHost(configuration: configuration, logger: logger) } catch { throw Runner.fail(error) }
        do { try await manifest.check(with: jobHost.desk) } catch {
            throw Runner.fail(BatchError("\(URL(fileURLWithPath: self.manifest).lastPathComponent): \(error.description); nothing was run"))
        }
        try await jobHost.reclaimLeftovers(logger: logger)
        let result = Mutex<BatchRun.Summary?>(nil)
        let run = BatchRun(manifest: manifest, client: LocalShortsClient(desk: jobHost.desk), parallel: max(2, host.jobs * 2), onUpdate: update)
        let batch = BatchService {
            let summary = await run.run()
            result.withLock { $0 = summary }
        }
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = jobHost.services.map { .init(service: $0) }
            + [.init(service: batch, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch { throw Runner.fail(error) }
        guard let summary = result.withLock({ $0 }) else { throw ExitCode(130) }
        return summary
    }

    static func describe(_ summary: BatchRun.Summary, count: Int) -> String {
        var lines = ["batch: \(summary.made) made, \(summary.skipped) skipped, \(summary.failed.count) failed of \(count) in \(String(format: "%.1f", summary.seconds)) s; caches: \(summary.cacheHits) hits, \(summary.cacheMisses) misses"]
        for (entry, error) in summary.failed {
            lines.append("  short \(entry.index + 1) (line \(entry.line), \(entry.label)): \(error)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The batch as a service: it ends the group when it is done; graceful shutdown cancels it.
struct BatchService: Service {
    let body: @Sendable () async -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { await body() }
    }
}
