import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts voices`: the voices that are installed and usable, and optionally a check of each.
struct VoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voices",
        abstract: "List the installed voices (hibari, Piper, Kokoro, espeak-ng); --check speaks a sentence with each."
    )

    @Option(help: "Only the voices that speak this language (a BCP 47 tag: pt, pt-BR, ja), and espeak-ng's voice for it.")
    var language: String?

    @Flag(help: "Load each neural voice (one Kokoro voice per language), speak a sentence, release it, and report the time and memory it took.")
    var check = false

    @Flag(help: "Print the list (and checks) as JSON.")
    var json = false

    @Option(help: "The sentence --check speaks.")
    var text = "Every short starts with a voice, and this one runs on a single core."

    /// One voice in the list.
    struct Entry: Codable {
        var voice: String
        var engine: String
        var location: String
        var note: String
        var languages: [String]
        var check: VoiceCheck?
    }

    func validate() throws {
        if let language, LanguageTag(language) == nil {
            throw ValidationError("--language \"\(language)\" is not a language tag; use one like pt, pt-BR, ja, zh-CN")
        }
    }

    func run() async throws {
        let locations = ModelLocations.standard()
        var entries = VoiceListing.installed(locations, language: language.flatMap(LanguageTag.init)).map {
            Entry(voice: $0.voice, engine: $0.engine, location: $0.location, note: $0.note, languages: $0.languages, check: nil)
        }
        if check {
            // Kokoro's voices share one model: one voice per language is checked.
            var kokoroLanguages = Set<[String]>()
            for index in entries.indices where entries[index].engine != "espeak" {
                if entries[index].engine == "kokoro" && !kokoroLanguages.insert(entries[index].languages).inserted { continue }
                entries[index].check = try await VoiceCheck.run(entries[index].voice, text: VoiceCheck.sentence(text, for: entries[index]),
                                                                locations: locations)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(entries))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        if entries.isEmpty {
            print("no voices installed; run `make bootstrap`")
            throw ExitCode(1)
        }
        for entry in entries {
            let speaks = entry.languages.isEmpty ? "" : " [\(entry.languages.joined(separator: ", "))]"
            print("\(entry.voice.padding(toLength: 26, withPad: " ", startingAt: 0)) \(entry.note)\(speaks)")
            print("  \(Runner.relative(entry.location))")
            if let check = entry.check { print("  \(check.summary)") }
        }
        if locations.hibari == nil { print("hibari (the default voice) is not installed: run `make bootstrap`") }
    }
}

/// What speaking one sentence with a voice cost, model load and release included, twice: the first
/// time in the process (which also maps ONNX Runtime's code and ICU's tables, once per process) and
/// again (what every later job of a long-running process sees).
struct VoiceCheck: Codable {
    /// One load, narration and release.
    struct Cycle: Codable {
        var audioSeconds: Double
        var wallSeconds: Double
        var realtimeFactor: Double
        var words: Int
        var models: [ModelUsage]
        var rssBeforeBytes: Int
        var rssLoadedBytes: Int
        var rssAfterReleaseBytes: Int
        var heapBeforeBytes: Int
        var heapLoadedBytes: Int
        var heapAfterReleaseBytes: Int
    }

    var first: Cycle
    var again: Cycle

    var summary: String {
        let mb = { (bytes: Int) in Double(bytes) / 1_048_576 }
        let load = first.models.map { String(format: "%@ %.2f s", $0.name, $0.loadSeconds) }.joined(separator: ", ")
        return String(format: "spoke %.1f s of audio in %.2f s (%.0fx realtime; loads: %@)\n", first.audioSeconds, first.wallSeconds, first.realtimeFactor, load)
            + [("first use", first), ("again", again)].map { name, cycle in
                String(format: "  %@: RSS %.0f MB before, %.0f MB loaded, %.0f MB after release (heap %.0f, %.0f, %.0f MB)", name,
                       mb(cycle.rssBeforeBytes), mb(cycle.rssLoadedBytes), mb(cycle.rssAfterReleaseBytes),
                       mb(cycle.heapBeforeBytes), mb(cycle.heapLoadedBytes), mb(cycle.heapAfterReleaseBytes))
            }.joined(separator: "\n")
    }

    /// The sentence a check speaks: `text`, or a Japanese one for a voice that speaks only Japanese.
    static func sentence(_ text: String, for entry: VoicesCommand.Entry) -> String {
        entry.languages == ["ja"] ? "どのショート動画も声から始まります。この声は一つのコアで動きます。" : text
    }

    static func run(_ voice: String, text: String, locations: ModelLocations) async throws -> VoiceCheck {
        let first = try await cycle(voice, text: text, locations: locations)
        let again = try await cycle(voice, text: text, locations: locations)
        return VoiceCheck(first: first, again: again)
    }

    static func cycle(_ voice: String, text: String, locations: ModelLocations) async throws -> Cycle {
        let manager = ModelManager(configuration: .init(idleRelease: .seconds(3600)))
        let catalog = VoiceCatalog(models: manager, locations: locations)
        let parts = voice.split(separator: ":", maxSplits: 1).map(String.init)
        let narrator = try catalog.narrator(for: VoiceChoice(engine: parts[0], voice: parts[1]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-voices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        ProcessMemory.trim()
        let before = (ProcessMemory.residentBytes(), ProcessMemory.anonymousBytes())
        let clock = ContinuousClock()
        let start = clock.now
        let narration = try await narrator.narrate(text, to: folder.appendingPathComponent("check.wav"))
        let wall = (clock.now - start).inSeconds
        let loaded = (ProcessMemory.residentBytes(), ProcessMemory.anonymousBytes())
        await manager.releaseIdleModels()
        let after = (ProcessMemory.residentBytes(), ProcessMemory.anonymousBytes())
        return Cycle(audioSeconds: narration.duration, wallSeconds: wall, realtimeFactor: narration.duration / max(wall, 1e-9),
                     words: narration.words.count, models: await manager.usageReport(),
                     rssBeforeBytes: before.0, rssLoadedBytes: loaded.0, rssAfterReleaseBytes: after.0,
                     heapBeforeBytes: before.1, heapLoadedBytes: loaded.1, heapAfterReleaseBytes: after.1)
    }
}
