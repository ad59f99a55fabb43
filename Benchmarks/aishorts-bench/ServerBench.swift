// The server benchmark (`--server-only`, and part of `make bench`): six short jobs (stills and a
// voice, ~10 s each) through a real `aishorts serve` on a loopback port, with `--jobs 1` then
// `--jobs 2`, each from a cold cache and a fresh model manager. Reported per run: jobs per minute,
// time in queue (p50/p95), peak RSS of the whole process tree against the memory budget, and model
// loads (the target is one per voice). Then the API's own cost: wrk on GET /jobs/{id} while renders
// run (requests/s and p99), when Debian's wrk is installed.
import AiShortsCore
import AiShortsServer
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

func serverBench(root: URL) async throws {
    let photos = root.appendingPathComponent("examples/assets/photos")
    let stills = ((try? FileManager.default.contentsOfDirectory(atPath: photos.path)) ?? []).filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
    guard !stills.isEmpty else {
        say("server bench: no photos in examples/assets/photos; run make bootstrap")
        return
    }
    let piper = ModelLocations.standard().piperVoices.contains { $0.lastPathComponent.hasPrefix("en_US-joe-medium") }
    let voice = piper ? "piper:en_US-joe-medium" : "espeak:en-us"
    let sentences = [
        "The Moon drifts away from Earth by almost four centimetres every year, slowly.",
        "A rocket must reach eleven kilometres a second to escape the pull of our planet.",
        "Astronauts grow a little taller in orbit, because their spines stretch without gravity.",
        "The deepest image of the sky holds thousands of galaxies in a patch smaller than a grain of sand.",
        "Saturn would float in a bathtub large enough to hold it, because it is lighter than water.",
        "Light from the Sun takes eight minutes to reach us, so we always see the past.",
    ]
    say("server bench: six jobs (\(voice), stills, ~10 s each) with --jobs 1 and --jobs 2")
    var lines: [String] = []
    for jobs in [1, 2] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-server-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.jobs = jobs
        configuration.data = folder.appendingPathComponent("data")
        configuration.cache = folder.appendingPathComponent("cache")
        configuration.libraries = [photos]
        configuration.llmConfig = folder.appendingPathComponent("none.yaml")
        let result = try await withBenchServer(configuration, label: "bench.server") { server, base in
            let monitor = ResourceMonitor()
            var measured = try await withThrowingTaskGroup(of: ServerRun?.self) { sampling in
                sampling.addTask {
                    await monitor.run()
                    return nil
                }
                await monitor.begin("server")
                var run = try await submitAndWait(base: base, sentences: sentences, stills: stills.map { photos.appendingPathComponent($0).path },
                                                  voice: voice, measureAPI: jobs == 1)
                run.peakTreeBytes = await monitor.end("server")
                sampling.cancelAll()
                return run
            }
            let usage = await server.models.usageReport()
            measured.loads = usage.reduce(0) { $0 + $1.loads }
            measured.models = usage.map { "\($0.name) ×\($0.loads)" }
            return measured
        }
        lines.append(String(format: "  --jobs %d: %.1f jobs/min (%.1f s for 6), queue wait p50 %.1f s p95 %.1f s, peak tree RSS %.0f MB of a %d MB budget, model loads %d",
                            jobs, result.jobsPerMinute, result.wallSeconds, result.waitP50, result.waitP95,
                            Double(result.peakTreeBytes) / 1_048_576, configuration.memoryBudgetMB, result.loads)
                     + " (\(result.models.joined(separator: ", ")))")
        if let api = result.api { lines.append("  API while rendering (wrk, GET /api/v1/jobs/{id}, 1 thread, 8 connections, 5 s): \(api)") }
    }
    say("server bench:")
    for line in lines { print(line) }
}

/// Runs an `aishorts serve` in this process with `configuration` (errors only in its log) until `body`,
/// given the server and its base URL, returns; then shuts it down gracefully.
func withBenchServer<T: Sendable>(_ configuration: ServerConfiguration, label: String,
                                  _ body: @escaping @Sendable (ShortsServer, String) async throws -> T) async throws -> T {
    var logger = Logger(label: label)
    logger.logLevel = .error
    let (ports, feed) = AsyncStream<Int>.makeStream()
    let server = try ShortsServer(configuration: configuration, logger: logger) { feed.yield($0) }
    let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw RenderError(.ffmpegFailed, "the server did not start") }
        let result = try await body(server, "http://127.0.0.1:\(port)")
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

struct ServerRun: Sendable {
    var wallSeconds: Double
    var waitP50: Double
    var waitP95: Double
    var peakTreeBytes = 0
    var loads = 0
    var models: [String] = []
    var api: String?
    var count = 6
    var jobsPerMinute: Double { Double(count) / wallSeconds * 60 }
}

func submitAndWait(base: String, sentences: [String], stills: [String], voice: String, measureAPI: Bool) async throws -> ServerRun {
    let start = ContinuousClock.now
    var ids: [String] = []
    for (index, sentence) in sentences.enumerated() {
        let spec: [String: Any] = [
            "title": "Bench \(index + 1)",
            "scenes": [
                ["text": sentence, "media": [stills[index % stills.count]]],
                ["text": "Follow for more facts about space.", "media": [stills[(index + 1) % stills.count]]],
            ],
        ]
        var request = HTTPClientRequest(url: base + "/api/v1/jobs")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["spec": spec, "voice": voice, "preset": "veryfast"])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .accepted, let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let id = object["id"] as? String else { throw RenderError(.ffmpegFailed, "the server refused a bench job: \(response.status)") }
        ids.append(id)
    }
    var api: String?
    if measureAPI, let wrk = try? Tool(name: "wrk").resolved() {
        // While the first renders run: the API's own latency under load.
        let result = try await ToolRunner().run(Tool(name: "wrk", path: wrk), arguments: ["-t1", "-c8", "-d5s", "--latency", base + "/api/v1/jobs/\(ids[ids.count - 1])"])
        let text = result.stdoutText
        let rate = text.split(separator: "\n").first { $0.contains("Requests/sec:") }?.split(separator: " ").last.map(String.init) ?? "?"
        let p99 = text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }?.split(separator: " ").last.map(String.init) ?? "?"
        api = "\(rate) requests/s, p99 \(p99)"
    } else if measureAPI {
        api = "not measured: wrk is not installed (apt install wrk)"
    }
    var waits: [Double] = []
    for id in ids {
        while true {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/api/v1/jobs/\(id)"), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 4 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            let state = object["state"] as? String ?? ""
            if state == "succeeded" {
                let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
                if let created = (object["created_at"] as? String).flatMap({ try? format.parse($0) }),
                   let started = (object["started_at"] as? String).flatMap({ try? format.parse($0) }) {
                    waits.append(started.timeIntervalSince(created))
                }
                break
            }
            guard state == "queued" || state == "running" else { throw RenderError(.ffmpegFailed, "bench job \(id) ended \(state): \(object["error"] ?? "")") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
    waits.sort()
    let percentile = { (p: Double) -> Double in waits.isEmpty ? 0 : waits[min(waits.count - 1, Int((Double(waits.count - 1) * p).rounded()))] }
    return ServerRun(wallSeconds: (ContinuousClock.now - start).inSeconds, waitP50: percentile(0.5), waitP95: percentile(0.95), api: api, count: ids.count)
}
