// The voice benchmark: the Swift hibari engine against the Python hibari-tts package, same text, same
// machine, one thread each, measured in one run. Swift: HibariNarrator through the ModelManager (front
// end, ONNX model, vocoder, WAV writing and word timings included). Python: `Hibari(threads=1)(text)`
// from the bootstrap's test venv (G2P, model and numpy DSP; no file written). Both are warmed up
// first; the best of N runs counts. Also reported: the models' load times and the process's RSS
// before loading, while loaded, and after the manager released the models.
import AiShortsCore
import Foundation
import HibariKernels

let voiceBenchText = """
    Every second, the Sun turns about four million tons of matter into energy, and its light needs eight minutes to reach us. \
    On the 3rd of March 2024, 1,250 people paid $9.99 each to watch a rocket launch at 7:30 pm. \
    Jupiter is so large that more than a thousand Earths could fit inside it, yet it spins once in under ten hours. \
    Dr. Ellen Ochoa, the first Hispanic woman in space, flew four missions and later led the Johnson Space Center. \
    Saturn's rings are mostly water ice; some pieces are as small as dust, others as big as houses. \
    A teaspoon of a neutron star would weigh about six billion tons, roughly the weight of every car on Earth. \
    Light from the earliest galaxies, 13.4 billion years old, is still travelling toward our telescopes today. \
    Follow for more strange and wonderful facts about the universe we live in!
    """

/// What one engine measured.
struct VoiceRun: Decodable {
    var loadSeconds: Double
    var audioSeconds: Double
    var bestSeconds: Double
    var rssLoadedMB: Double
    var realtime: Double { audioSeconds / bestSeconds }
}

func voiceBench(root: URL, repeats: Int) async throws {
    let locations = ModelLocations(roots: [root.appendingPathComponent(".deps/models")])
    guard let assets = locations.hibari else {
        say("bench: the hibari voice is not installed; skipping the voice benchmark (run make bootstrap)")
        return
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-voice-bench-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    say("bench: voice: Swift hibari, \(Narration.words(in: voiceBenchText).count) words, best of \(repeats)")
    ProcessMemory.trim()
    let rssBefore = ProcessMemory.residentBytes()
    let manager = ModelManager(configuration: .init(idleRelease: .seconds(3600)))
    let narrator = try HibariNarrator(assets: assets, models: manager)
    _ = try await narrator.narrate("Warm up.", to: scratch.appendingPathComponent("warm.wav"))
    let usage = await manager.usageReport()
    var best = Double.infinity
    var audio = 0.0
    for round in 0..<repeats {
        let clock = ContinuousClock()
        let start = clock.now
        let narration = try await narrator.narrate(voiceBenchText, to: scratch.appendingPathComponent("run\(round).wav"))
        best = min(best, (clock.now - start).inSeconds)
        audio = narration.duration
    }
    let rssLoaded = ProcessMemory.residentBytes()
    await manager.releaseIdleModels()
    let rssReleased = ProcessMemory.residentBytes()
    let swift = VoiceRun(loadSeconds: usage.reduce(0) { $0 + $1.loadSeconds }, audioSeconds: audio, bestSeconds: best,
                         rssLoadedMB: Double(rssLoaded) / 1_048_576)

    let parts = try hibariBreakdown(assets: assets)

    say("bench: voice: Python hibari-tts (the reference), same text, best of \(repeats)")
    let python = try await pythonVoiceRun(root: root, repeats: repeats)

    let mb = { (bytes: Int) in String(format: "%.0f MB", Double(bytes) / 1_048_576) }
    print("voice benchmark (hibari heart, \(String(format: "%.1f", audio)) s of speech, one thread, best of \(repeats))")
    print(String(format: "  Swift engine   : %6.3f s  -> %5.0fx realtime   (model loads %.2f s: %@)", swift.bestSeconds, swift.realtime,
                 swift.loadSeconds, usage.map { String(format: "%@ %.2f s", $0.name, $0.loadSeconds) }.joined(separator: ", ")))
    if let python {
        print(String(format: "  Python package : %6.3f s  -> %5.0fx realtime   (import + load + warm-up %.2f s; RSS loaded %.0f MB)",
                     python.bestSeconds, python.realtime, python.loadSeconds, python.rssLoadedMB))
        print(String(format: "  Swift / Python : %6.2fx   (target >= 1.5)", swift.realtime / python.realtime))
    }
    print(String(format: "  Swift, by part : front end %.0f ms, model %.0f ms, vocoder %.0f ms, rest (WAV, timings) %.0f ms",
                 parts.frontEnd * 1000, parts.model * 1000, parts.vocoder * 1000, (swift.bestSeconds - parts.frontEnd - parts.model - parts.vocoder) * 1000))
    print("  RSS (Swift process): \(mb(rssBefore)) before loading, \(mb(rssLoaded)) loaded, \(mb(rssReleased)) after release")
}

/// Where the Swift engine's time goes on the benchmark text: each part alone, best of three.
func hibariBreakdown(assets: URL) throws -> (frontEnd: Double, model: Double, vocoder: Double) {
    let g2p = try HibariG2P(assets: assets, oov: try HibariOOV(assets: assets))
    let vocabulary = try HibariVocabulary(assets: assets)
    let session = try OnnxSession(path: assets.appendingPathComponent("hibari.onnx"), threads: 1)
    let clock = ContinuousClock()
    func best(_ body: () throws -> Void) rethrows -> Double {
        var fastest = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            try body()
            fastest = min(fastest, (clock.now - start).inSeconds)
        }
        return fastest
    }
    var chunks: [HibariChunk] = []
    let frontEnd = try best { chunks = try g2p.sentences(in: voiceBenchText).flatMap { try g2p.phonemizeText($0) } }
    var outputs: [[String: OnnxTensor]] = []
    let model = try best {
        outputs = try chunks.map { chunk in
            let ids = vocabulary.ids(for: chunk.phonemes)
            return try session.run(["ids": .int64(ids, shape: [1, ids.count]), "speed": .float([1], shape: [1])])
        }
    }
    let spectra = outputs.map { output in
        HibariSpectra(lh: output["lh"]!.floats!, theta: output["theta"]!.floats!, ln: output["ln"]!.floats!,
                      lr: output["lr"]!.floats!, phi: output["phi"]!.floats!, f0: output["f0"]!.floats!)
    }
    let vocoder = best {
        for (index, chunk) in spectra.enumerated() { _ = HibariVocoder().synthesize(chunk, seed: UInt64(index)) }
    }
    return (frontEnd, model, vocoder)
}

/// Runs the Python package in the bootstrap's venv; `nil` when the venv is missing.
func pythonVoiceRun(root: URL, repeats: Int) async throws -> VoiceRun? {
    let python = root.appendingPathComponent(".deps/venv/bin/python")
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
        say("bench: no .deps/venv; skipping the Python reference (run make bootstrap)")
        return nil
    }
    let script = """
        import json, resource, sys, time
        start = time.perf_counter()
        from hibari import Hibari
        tts = Hibari(threads=1)
        tts("Warm up.")
        load = time.perf_counter() - start
        text, repeats = sys.argv[1], int(sys.argv[2])
        best, audio = float("inf"), None
        for _ in range(repeats):
            t = time.perf_counter()
            audio = tts(text)
            best = min(best, time.perf_counter() - t)
        print(json.dumps({"loadSeconds": load, "audioSeconds": len(audio) / 24000, "bestSeconds": best,
                          "rssLoadedMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        """
    let result = try await ToolRunner().run(Tool(name: "python", path: python.path), arguments: ["-c", script, voiceBenchText, String(repeats)])
    guard result.isSuccess else {
        say("bench: the Python reference failed: \(result.lastError)")
        return nil
    }
    return try JSONDecoder().decode(VoiceRun.self, from: result.stdout)
}
