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

// MARK: - Engines × languages

/// One engine and language of the languages benchmark: the voice and a text of about 20 s in that language.
struct LanguageVoiceCase {
    var engine: String
    var language: String
    var voice: String
    var text: String
}

let languageVoiceCases = [
    LanguageVoiceCase(engine: "hibari", language: "en", voice: "hibari:heart", text: String(voiceBenchText.prefix(360))),
    LanguageVoiceCase(engine: "Kokoro", language: "ja", voice: "kokoro:jf_alpha", text: """
        東京タワーは1958年に完成しました。高さは333メートルで、当時は世界一高い鉄塔でした。\
        今では毎年およそ300万人が訪れます。夜になると、オレンジ色の光がとてもきれいです。
        """),
    LanguageVoiceCase(engine: "Piper", language: "en", voice: "piper:en_US-joe-medium", text: String(voiceBenchText.prefix(360))),
    LanguageVoiceCase(engine: "espeak-ng", language: "pt-BR", voice: "espeak:pt-br", text: """
        O Cristo Redentor fica no alto do Corcovado, a 710 metros acima do mar. A estátua tem 30 metros de altura \
        e foi inaugurada em 1931. Hoje, cerca de dois milhões de pessoas a visitam por ano, e a vista da cidade é incrível.
        """),
]

/// What one engine measured in its own process.
struct LanguageVoiceRun: Codable {
    var audioSeconds: Double
    var seconds: Double
    /// CPU time of the same narration, this process and its programs (espeak-ng, open_jtalk) together:
    /// on a busy machine the wall time grows, the CPU time does not.
    var cpuSeconds: Double
    var words: Int
    var peakRSSMB: Double
}

/// Narration speed and peak memory per engine and language, each engine in a process of its own
/// (this binary with `--voice-language-run`), so that one engine's peak is not another's. Peak memory
/// is the process's high-water RSS (VmHWM); the programs run as processes (espeak-ng, open_jtalk) are
/// not in it (a few MB each, for a fraction of a second). The first narration (model load and
/// warm-up) is not timed; the best of `repeats` is.
func languageVoiceBench(repeats: Int) async throws {
    say("bench: voice languages: hibari (en), Kokoro (ja), Piper (en), espeak-ng (pt-BR), each in its own process")
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).path
    var rows: [(LanguageVoiceCase, LanguageVoiceRun?)] = []
    for item in languageVoiceCases {
        let result = try await ToolRunner().run(Tool(name: "aishorts-bench", path: binary),
                                                arguments: ["--voice-language-run", item.voice, item.text, String(repeats)])
        if result.isSuccess, let run = try? JSONDecoder().decode(LanguageVoiceRun.self, from: result.stdout) {
            rows.append((item, run))
        } else {
            say("bench: \(item.voice) failed: \(result.lastError) (run make bootstrap?)")
            rows.append((item, nil))
        }
    }
    print("voice engines x languages (one thread per model; best of \(repeats) after a warm-up narration)")
    print("  engine     language  voice                    speech   wall     x realtime   CPU      x realtime (CPU)  peak RSS")
    for (item, run) in rows {
        let head = "  \(item.engine.padding(toLength: 10, withPad: " ", startingAt: 0)) \(item.language.padding(toLength: 9, withPad: " ", startingAt: 0)) \(item.voice.padding(toLength: 24, withPad: " ", startingAt: 0))"
        guard let run else {
            print("\(head) (not installed or failed)")
            continue
        }
        print(head + String(format: " %5.1f s %6.2f s %8.1fx %7.2f s %10.1fx %14.0f MB", run.audioSeconds, run.seconds,
                            run.audioSeconds / run.seconds, run.cpuSeconds, run.audioSeconds / run.cpuSeconds, run.peakRSSMB))
    }
}

/// The child side of ``languageVoiceBench(repeats:)``: narrates `text` with `voice` and prints a ``LanguageVoiceRun``.
func languageVoiceRun(voice: String, text: String, repeats: Int, root: URL) async throws {
    let manager = ModelManager(configuration: .init(idleRelease: .seconds(3600)))
    let catalog = VoiceCatalog(models: manager, locations: ModelLocations(roots: [root.appendingPathComponent(".deps/models")]))
    let narrator = try catalog.narrator(for: try VoiceChoice.parse(voice))
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-voice-languages-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    _ = try await narrator.narrate(text, to: scratch.appendingPathComponent("warm.wav"))
    var best = Double.infinity
    var bestCPU = Double.infinity
    var narration: Narration?
    for round in 0..<max(repeats, 1) {
        let clock = ContinuousClock()
        let start = clock.now
        let cpu = cpuSeconds()
        narration = try await narrator.narrate(text, to: scratch.appendingPathComponent("run\(round).wav"))
        best = min(best, (clock.now - start).inSeconds)
        bestCPU = min(bestCPU, cpuSeconds() - cpu)
    }
    let run = LanguageVoiceRun(audioSeconds: narration?.duration ?? 0, seconds: best, cpuSeconds: bestCPU, words: narration?.words.count ?? 0,
                               peakRSSMB: Double(peakResidentKilobytes()) / 1024)
    FileHandle.standardOutput.write(try JSONEncoder().encode(run))
}

/// The process's peak resident set (VmHWM in /proc/self/status), in kB.
func peakResidentKilobytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

/// User and system CPU seconds of this process and of its ended child processes.
func cpuSeconds() -> Double {
    func seconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
    return seconds(RUSAGE_SELF.rawValue) + seconds(RUSAGE_CHILDREN.rawValue)
}
