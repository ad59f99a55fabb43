@testable import AiShortsCore
import Foundation
import Testing

/// The hibari engine end to end: text to WAV with word timings, against the Python package.
@Suite("HibariNarrator")
struct HibariNarratorTests {
    static let assets = Fixtures.packageRoot.appendingPathComponent(".deps/models/hibari")
    static let python = Fixtures.packageRoot.appendingPathComponent(".deps/venv/bin/python")

    static func narrator(_ manager: ModelManager = ModelManager(), speed: Double = 1) throws -> HibariNarrator {
        try #require(FileManager.default.fileExists(atPath: assets.appendingPathComponent("hibari.onnx").path),
                     "the hibari voice is not installed: run `make bootstrap`")
        return try HibariNarrator(assets: assets, speed: speed, models: manager)
    }

    static let sentences = [
        "The quick brown fox jumps over the lazy dog.",
        "On the 3rd of March 2024, 1,250 people paid $9.99 each.",
        "Dr. Smith lives at 42 Baker St. and reads the record aloud.",
        "Is it true that octopuses have three hearts?",
        "Jupiter spins once in under ten hours — faster than any other planet!",
        "Water boils at 100°C, or 212°F, at sea level.",
        "NASA's Perseverance rover landed on Mars in February 2021.",
        "She sells sea shells by the sea shore; the shells she sells are surely seashells.",
        "A teaspoon of neutron star would weigh about six billion tons.",
        "Follow for more, and tell me which fact surprised you the most.",
    ]

    @Test("ten sentences sound like the Python package: correlation >= 0.99 with the reference audio")
    func audioMatchesReference() async throws {
        let narrator = try Self.narrator()
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path), "no .deps/venv: run `make bootstrap`")
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // The reference: hibari-tts itself, one raw float32 file per sentence. Its noise differs from
        // ours (numpy's generator), which the vocoder's own tests show moves the correlation by < 1e-4.
        let script = """
            import sys
            from hibari import Hibari
            tts = Hibari(threads=1)
            for i, text in enumerate(sys.argv[2:]):
                tts(text, seed=i).astype('<f4').tofile(f"{sys.argv[1]}/ref{i}.f32")
            """
        let result = try await ToolRunner().run(Tool(name: "python", path: Self.python.path), arguments: ["-c", script, fixtures.root.path] + Self.sentences)
        try #require(result.isSuccess, "the Python reference failed: \(result.lastError)")
        for (index, sentence) in Self.sentences.enumerated() {
            let narration = try await narrator.narrate(sentence, to: fixtures.url("s\(index).wav"))
            let ours = try WAVAudio(contentsOf: narration.audio).samples.map { Double($0) / 32767 }
            let data = try Data(contentsOf: fixtures.url("ref\(index).f32"))
            let reference: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }.map { Double($0) }
            #expect(ours.count == reference.count, "sentence \(index): \(ours.count) samples vs \(reference.count)")
            let n = min(ours.count, reference.count)
            let correlation = Self.correlation(Array(ours[..<n]), Array(reference[..<n]))
            #expect(correlation >= 0.99, "sentence \(index) \"\(sentence)\": correlation \(correlation)")
        }
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let meanA = a.reduce(0, +) / Double(a.count), meanB = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - meanA) * (y - meanB)
            saa += (x - meanA) * (x - meanA)
            sbb += (y - meanB) * (y - meanB)
        }
        return sab / (saa * sbb).squareRoot()
    }

    @Test("every script word gets a time from the model's durations, and the words sit on the voice")
    func wordTimingsFollowTheVoice() async throws {
        let narrator = try Self.narrator()
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let text = "One. Two. Three. It costs $9.99 in 2024!"
        let narration = try await narrator.narrate(text, to: fixtures.url("n.wav"))
        #expect(narration.words.map(\.text) == Narration.words(in: text))
        for (first, second) in zip(narration.words, narration.words.dropFirst()) {
            #expect(first.end <= second.start + 1e-6, "\(first) then \(second)")
        }
        for word in narration.words {
            #expect(word.end > word.start, "\(word) has a span")
            #expect(word.end <= narration.duration + 1e-6)
        }
        // "One." "Two." "Three." are separate sentences with pauses between: each word's middle must
        // fall in its own sounding stretch of the audio.
        let audio = try WAVAudio(contentsOf: narration.audio)
        let sounding = audio.soundingRanges(minimumGap: 0.12).map { range in
            (Double(range.lowerBound) / Double(audio.sampleRate), Double(range.upperBound) / Double(audio.sampleRate))
        }
        var stretches: [Int] = []
        for word in narration.words.prefix(3) {
            let middle = (word.start + word.end) / 2
            let stretch = try #require(sounding.firstIndex { $0.0 - 0.03 <= middle && middle <= $0.1 + 0.03 }, "\(word) is on silence")
            stretches.append(stretch)
        }
        #expect(Set(stretches).count == 3, "one, two and three are heard apart: \(stretches)")
        // "$9.99" is spoken as several words; it takes their time, not a sliver.
        let price = try #require(narration.words.first { $0.text == "$9.99" })
        #expect(price.end - price.start > 0.6)
    }

    @Test("speed changes the pace, the same text gives the same audio, and the cache key says so")
    func speedAndDeterminism() async throws {
        let manager = ModelManager()
        let normal = try Self.narrator(manager)
        let fast = try Self.narrator(manager, speed: 1.5)
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let text = "Saturn's rings are mostly water ice."
        let a = try await normal.narrate(text, to: fixtures.url("a.wav"))
        let b = try await normal.narrate(text, to: fixtures.url("b.wav"))
        let c = try await fast.narrate(text, to: fixtures.url("c.wav"))
        #expect(try Data(contentsOf: a.audio) == Data(contentsOf: b.audio))
        #expect(c.duration < a.duration * 0.8)
        #expect(normal.cacheKey != fast.cacheKey)
        #expect(normal.cacheKey.hasPrefix("hibari:heart@1.0#"))
        let usage = await manager.usageReport()
        #expect(usage.map(\.loads) == [1, 1], "front end and model loaded once for all three: \(usage)")
    }

    @Test("bad input: empty, symbols only, unknown voice, missing or corrupt model")
    func badInput() async throws {
        let narrator = try Self.narrator()
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        await #expect(throws: VoiceError.self) { _ = try await narrator.narrate("   ", to: fixtures.url("e.wav")) }
        do {
            _ = try await narrator.narrate("🙂 🚀 ✨", to: fixtures.url("emoji.wav"))
            Issue.record("emoji alone were narrated")
        } catch let error as VoiceError {
            #expect(error.code == .emptyText)
        }
        // A language hibari cannot read at all is refused with the same clear message.
        do {
            _ = try await narrator.narrate("你好，世界。", to: fixtures.url("zh.wav"))
            Issue.record("Chinese text was narrated by an English voice")
        } catch let error as VoiceError {
            #expect(error.code == .emptyText)
            #expect(error.message.contains("English words"))
        }
        // Emoji inside words are skipped; the words are read.
        let mixed = try await narrator.narrate("Launch day 🚀 is here!", to: fixtures.url("mixed.wav"))
        #expect(mixed.words.map(\.text) == Narration.words(in: "Launch day 🚀 is here!"))
        #expect(mixed.duration > 0.5)
        #expect(!FileManager.default.fileExists(atPath: fixtures.url("emoji.wav").path), "nothing is left behind")
        #expect(throws: VoiceError.self) { _ = try HibariNarrator(assets: Self.assets, voice: "nobody", models: ModelManager()) }
        #expect(throws: VoiceError.self) { _ = try HibariNarrator(assets: fixtures.root, models: ModelManager()) }

        // A corrupt model: a copy of the front end's files with a broken hibari.onnx.
        let broken = fixtures.url("broken")
        try FileManager.default.copyItem(at: Self.assets, to: broken)
        try Data(repeating: 7, count: 1000).write(to: broken.appendingPathComponent("hibari.onnx"))
        let corrupt = try HibariNarrator(assets: broken, models: ModelManager())
        do {
            _ = try await corrupt.narrate("Hello there.", to: fixtures.url("c.wav"))
            Issue.record("a corrupt model narrated")
        } catch let error as VoiceError {
            #expect(error.code == .engineFailed)
            #expect(error.message.hasPrefix("hibari: cannot load model hibari.onnx"))
            #expect(!error.message.contains("\n"))
        }
    }

    @Test("long text is narrated sentence by sentence with bounded memory")
    func longText() async throws {
        let narrator = try Self.narrator()
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let sentence = "Every star you see at night is bigger and brighter than our Sun, and many of them have planets of their own. "
        let text = String(repeating: sentence, count: 8)
        let narration = try await narrator.narrate(text, to: fixtures.url("long.wav"))
        #expect(narration.words.count == Narration.words(in: text).count)
        #expect(narration.duration > 40)
        #expect(narration.words.last!.end <= narration.duration + 1e-6)
        #expect(narration.words.last!.start > narration.duration - 10)
    }
}
