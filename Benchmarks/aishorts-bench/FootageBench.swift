// The footage benchmark: a six-scene job against two loopback stock-footage APIs (the test stub, one
// server per site) with 120 ms latency on every request and a 0.4 s site delay between two API
// requests to the same site. Media and thumbnails come from another host name of the same server
// (as real sites serve them from a CDN), without the delay. Ranked by the tiny CLIP test export
// (it sees colours; each topic has two clips of its colour and two grey decoys).
//
// Measured in one run: (a) the seed's way, sequential: per scene and site wait the delay, search,
// download every result, then score the downloads' frames and pick; (b) the footage stage, cold
// cache: everything concurrent, thumbnails ranked before downloading; (c) the same stage again on
// its warm cache. Reported: wall times, the ratio (a)/(b), downloads made and avoided, and the
// requests of the second run (target: none).
import AiShortsCore
import AiShortsTestSupport
import Foundation

let footageScenes = [
    Scene(text: "The engines light and the rocket climbs.", queries: ["red rocket launch"]),
    Scene(text: "Waves fold over and over.", queries: ["blue ocean waves"]),
    Scene(text: "Light falls through the canopy.", queries: ["green forest trees"]),
    Scene(text: "Buses crawl through the evening.", queries: ["red city bus"]),
    Scene(text: "Wind reshapes the dunes every night.", queries: ["green desert cactus"]),
    Scene(text: "The summit is frozen all year.", queries: ["blue snow mountain"]),
]

func footageBench(root: URL) async throws {
    let python = root.appendingPathComponent(".deps/venv/bin/python")
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
        say("bench: .deps/venv is missing; skipping the footage benchmark (run make bootstrap)")
        return
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-footage-bench-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let modelFolder = scratch.appendingPathComponent("tiny-clip")
    let made = try await ToolRunner().run(
        Tool(name: "python", path: python.path), arguments: [root.appendingPathComponent("scripts/make-tiny-clip.py").path, modelFolder.path]
    )
    guard made.isSuccess else { throw RelevanceError(.badModel, "make-tiny-clip.py failed: \(made.lastError)") }
    let model = try ClipModel(folder: modelFolder)
    let models = ModelManager()
    let delay = 0.4
    let options = FootageStubOptions(key: "k", latencyMilliseconds: 120, catalogue: "bench", mediaHost: "localhost")

    try await withFootageStub(options) { pexels in
        try await withFootageStub(options) { pixabay in
            let apiHosts = [pexels.baseURL, pixabay.baseURL].map { FootageHTTP.authority(of: $0) }
            func scorer(_ cache: URL) -> ClipScorer {
                ClipScorer(model: model, models: models, cache: EmbeddingCache(disk: DiskCache(root: cache)), threshold: 0.5, threads: 1)
            }
            func sources(_ http: FootageHTTP) -> [any FootageSource] {
                [PexelsSource(apiKey: "k", baseURL: pexels.baseURL, http: http), PixabaySource(apiKey: "k", baseURL: pixabay.baseURL, http: http)]
            }
            func stubRequests() async throws -> Int { try await pexels.stats().total + pixabay.stats().total }
            // Warm the model and the stubs' media once, so neither side pays a first load.
            _ = try await scorer(scratch.appendingPathComponent("warm")).scores(texts: ["red"], candidates: [])

            // (a) Sequential baseline.
            let baselineStart = ContinuousClock.now
            let baseline = try await FootageHTTP.withClient { http in
                try await sequentialFootage(footageScenes, sources: sources(http), scorer: scorer(scratch.appendingPathComponent("seq")),
                                            delay: delay, scratch: scratch.appendingPathComponent("seq-media"))
            }
            let baselineSeconds = (ContinuousClock.now - baselineStart).inSeconds

            // (b) The footage stage, cold; (c) the same, warm.
            var settings = FootageHTTP.Settings()
            settings.intervals = Dictionary(uniqueKeysWithValues: apiHosts.map { ($0, delay) })
            let cache = scratch.appendingPathComponent("stage")
            func stageRun() async throws -> (FootageOutcome, Double, Int) {
                let counter = RequestCounter()
                let before = try await stubRequests()
                let start = ContinuousClock.now
                let outcome = try await FootageHTTP.withClient(settings: settings, counter: counter) { http in
                    let stage = FootageStage(
                        sources: sources(http), scorer: scorer(cache), cache: FootageCache(disk: DiskCache(root: cache)),
                        probe: MediaProbe(), requests: counter
                    )
                    return try await stage.gather(footageScenes, durations: footageScenes.map { _ in 4 })
                }
                let seconds = (ContinuousClock.now - start).inSeconds
                return (outcome, seconds, try await stubRequests() - before)
            }
            let (cold, coldSeconds, coldRequests) = try await stageRun()
            let (warm, warmSeconds, warmRequests) = try await stageRun()

            let fitting = cold.scenes.filter { $0.origin != "generated" }.count
            say("footage bench (6 scenes, 2 loopback sites, 120 ms latency, \(delay) s site delay, tiny CLIP):")
            say(String(format: "  sequential search-download-score: %.2f s, %d downloads, %d requests", baselineSeconds, baseline.downloads, baseline.requests))
            say(String(format: "  footage stage, cold cache:        %.2f s, %d downloads, %d avoided by thumbnails, %d requests (%d thumbnails)",
                       coldSeconds, cold.report.downloads.misses, cold.report.downloadsAvoided, coldRequests, cold.report.thumbnails.misses))
            say(String(format: "  speed-up: %.2f x (target 3 x); scenes with footage: %d of 6 (sequential: %d)", baselineSeconds / coldSeconds, fitting, baseline.picked))
            say(String(format: "  second run, warm cache:           %.2f s, %d requests (target 0), searches %d/%d and downloads %d/%d from the cache",
                       warmSeconds, warmRequests, warm.report.searches.hits, warm.report.searches.hits + warm.report.searches.misses,
                       warm.report.downloads.hits, warm.report.downloads.hits + warm.report.downloads.misses))
        }
    }
    await models.releaseIdleModels()
    try await libraryBench(model: model, scratch: scratch)
}

/// What the seed did, in order: per scene and source, wait the site's delay, search, download every
/// result, and only then score the downloads (on a frame each) and pick the best unused one.
func sequentialFootage(
    _ scenes: [Scene], sources: [any FootageSource], scorer: any RelevanceScorer, delay: Double, scratch: URL
) async throws -> (downloads: Int, requests: Int, picked: Int) {
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    var downloads = 0
    var requests = 0
    var picked = 0
    var used = Set<String>()
    for scene in scenes {
        var files: [(clip: FootageClip, file: URL)] = []
        for source in sources {
            for phrase in scene.queries {
                try await Task.sleep(for: .seconds(delay))
                let clips = try await source.search(FootageQuery(text: phrase, count: 6))
                requests += 1
                for clip in clips {
                    let file = scratch.appendingPathComponent("\(UUID().uuidString).mp4")
                    _ = try await source.fetchMedia(of: clip, section: nil, to: file)
                    downloads += 1
                    requests += 1
                    files.append((clip, file))
                }
            }
        }
        let candidates = files.map { RelevanceCandidate(pictures: [.frame($0.file, at: 1)], text: $0.clip.text) }
        let scores = try await scorer.scores(texts: scene.queries + [scene.text], candidates: candidates)
        let best = files.indices.filter { !used.contains(files[$0].clip.key) }.max { scores[0][$0] < scores[0][$1] }
        if let best, scores[0][best] >= scorer.threshold {
            used.insert(files[best].clip.key)
            picked += 1
        }
    }
    return (downloads, requests, picked)
}
