// The workers benchmark (`--workers-only`, and part of `make bench`): twelve real short jobs (two
// stills and a voice each, ~10 s of video) through an API-only node (`--jobs 0`, in this process) and
// 1 then 2 `aishorts worker` processes (one job at a time each) on a private PostgreSQL cluster,
// every worker with a cold cache of its own. Reported: jobs per minute and the queue wait (p50/p95),
// so the ratio says what a second worker process buys on this machine.
import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation

func workersBench(root: URL) async throws {
    let photos = root.appendingPathComponent("examples/assets/photos")
    let stills = ((try? FileManager.default.contentsOfDirectory(atPath: photos.path)) ?? []).filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
    let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let binary = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("aishorts").path
    guard !stills.isEmpty, FileManager.default.isExecutableFile(atPath: binary) else {
        say("workers bench: needs examples/assets/photos (make bootstrap) and \(binary) (swift build -c release --product aishorts)")
        return
    }
    let cluster: PostgresCluster
    do { cluster = try await PostgresCluster.start() } catch {
        say("workers bench: no PostgreSQL cluster (\(error)); skipped")
        return
    }
    let piper = ModelLocations.standard().piperVoices.contains { $0.lastPathComponent.hasPrefix("en_US-joe-medium") }
    let voice = piper ? "piper:en_US-joe-medium" : "espeak:en-us"
    let facts = [
        "The Moon drifts away from Earth by almost four centimetres every year.",
        "A rocket must reach eleven kilometres a second to escape our planet.",
        "Astronauts grow a little taller in orbit, because their spines stretch.",
        "The deepest image of the sky holds thousands of galaxies in a tiny patch.",
        "Saturn would float in a bathtub large enough to hold it.",
        "Light from the Sun takes eight minutes to reach us.",
    ]
    // Twelve different texts: no worker finds another job's narration in its cache.
    let sentences = (0..<12).map { "\(facts[$0 % facts.count]) Fact number \($0 + 1)." }
    say("workers bench: twelve jobs (\(voice), stills, ~10 s each) through 1 and 2 worker processes on PostgreSQL")
    var lines: [String] = []
    var rates: [Double] = []
    for workers in [1, 2] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-workers-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try await cluster.makeDatabase()
        let storage = folder.appendingPathComponent("storage")
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.jobs = 0
        configuration.database = url
        configuration.storage = storage
        configuration.data = folder.appendingPathComponent("api")
        configuration.cache = folder.appendingPathComponent("api-cache")
        configuration.libraries = [photos]
        configuration.llmConfig = folder.appendingPathComponent("none.yaml")
        let arguments = (0..<workers).map { index in
            ["worker", "--database", url.withPasswordForBench, "--storage", storage.path, "--jobs", "1",
             "--data", folder.appendingPathComponent("w\(index)").path, "--cache-dir", folder.appendingPathComponent("c\(index)").path,
             "--library", photos.path]
        }
        let run = try await withBenchServer(configuration, label: "bench.workers") { _, base in
            try await WorkerProcesses.with(binary: binary, arguments: arguments) { _ in
                try await submitAndWait(base: base, sentences: sentences,
                                        stills: stills.map { photos.appendingPathComponent($0).path }, voice: voice, measureAPI: false)
            }
        }
        rates.append(run.jobsPerMinute)
        lines.append(String(format: "  %d worker process%@: %.1f jobs/min (%.1f s for 12), queue wait p50 %.1f s p95 %.1f s",
                            workers, workers == 1 ? "" : "es", run.jobsPerMinute, run.wallSeconds, run.waitP50, run.waitP95))
    }
    await cluster.stop()
    say("workers bench:")
    for line in lines { print(line) }
    if rates.count == 2 { print(String(format: "  two workers / one: %.2fx the throughput", rates[1] / rates[0])) }
}
