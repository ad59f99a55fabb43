import AiShortsCore
import Foundation
import Testing

private let espeakInstalled = (try? Tool.espeak.resolved()) != nil

/// RMS of `samples[range]`, 0 for an empty range.
private func rms(_ samples: [Int16], _ range: Range<Int>) -> Double {
    guard !range.isEmpty else { return 0 }
    var sum = 0.0
    for index in range { let value = Double(samples[index]); sum += value * value }
    return (sum / Double(range.count)).squareRoot()
}

/// A fresh temp folder, removed when the value is dropped.
private final class TempFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-espeak-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite struct EspeakNarratorTests {
    /// Narrates `text` and checks every property that makes the timings trustworthy.
    private func checkNarration(of text: String, narrator: EspeakNarrator = EspeakNarrator()) async throws {
        let folder = try TempFolder()
        let destination = folder.url.appendingPathComponent("narration.wav")
        let narration = try await narrator.narrate(text, to: destination)
        let expected = Narration.words(in: text)

        // The words are the script's words, in order.
        #expect(narration.words.map(\.text) == expected)
        #expect(narration.audio == destination)

        // The file is there and is what the narration describes.
        #expect(FileManager.default.fileExists(atPath: destination.path))
        let audio = try WAVAudio(contentsOf: destination)
        #expect(audio.sampleRate > 8000)
        #expect(abs(audio.duration - narration.duration) < 1.0 / Double(audio.sampleRate) + 1e-9)
        #expect(narration.duration > 0.2 * Double(expected.count), "\(narration.duration) s is too short for \(expected.count) words")

        // Times are ordered, non-overlapping and inside the audio.
        for word in narration.words {
            #expect(word.start >= 0)
            #expect(word.end > word.start)
            #expect(word.end <= narration.duration + 1e-9, "\(word) ends after the audio (\(narration.duration) s)")
        }
        for (a, b) in zip(narration.words, narration.words.dropFirst()) {
            #expect(a.start < b.start)
            #expect(a.end <= b.start + 1e-9, "\(a) overlaps \(b)")
        }

        // The timings are real: sound inside every word, silence between words.
        let rate = Double(audio.sampleRate)
        func index(_ seconds: Double) -> Int { min(max(Int((seconds * rate).rounded()), 0), audio.samples.count) }
        let peak = Double(audio.samples.map { abs(Int($0)) }.max() ?? 0)
        #expect(peak > 2000, "the narration is nearly silent")
        for word in narration.words {
            let level = rms(audio.samples, index(word.start)..<index(word.end))
            #expect(level > 150, "\"\(word.text)\" at \(word.start)–\(word.end) s is silent (RMS \(level))")
        }
        for (a, b) in zip(narration.words, narration.words.dropFirst()) {
            let pause = index(a.end)..<index(b.start)
            #expect(pause.count > 0, "no pause between \"\(a.text)\" and \"\(b.text)\"")
            let level = rms(audio.samples, pause)
            #expect(level < 20, "pause between \"\(a.text)\" and \"\(b.text)\" is not silent (RMS \(level))")
        }
        // Before the first word and after the last there is only silence.
        if let first = narration.words.first, let last = narration.words.last {
            #expect(rms(audio.samples, 0..<index(first.start)) < 20)
            #expect(rms(audio.samples, index(last.end)..<audio.samples.count) < 20)
        }
    }

    @Test(.enabled(if: espeakInstalled, "espeak-ng is not installed"), .timeLimit(.minutes(1)))
    func timingsOfATwelveWordSentenceAreReal() async throws {
        try await checkNarration(of: "The quick brown fox jumps over the lazy dog, and then it rests.")
    }

    @Test(.enabled(if: espeakInstalled, "espeak-ng is not installed"), .timeLimit(.minutes(1)))
    func numbersPunctuationAndMarkupCharactersStillGiveOneTimingPerWord() async throws {
        // Tokens espeak-ng may read as several words or as silence ("1969", "&", "<b>") exercise the
        // per-word fallback.
        try await checkNarration(of: "In 1969 , Armstrong & Aldrin landed <b> on the Moon — really !")
    }

    @Test(.enabled(if: espeakInstalled, "espeak-ng is not installed"), .timeLimit(.minutes(1)))
    func fasterSpeedGivesShorterAudio() async throws {
        let folder = try TempFolder()
        let text = "Octopuses have three hearts and blue blood."
        let normal = try await EspeakNarrator(speed: 1).narrate(text, to: folder.url.appendingPathComponent("a.wav"))
        let fast = try await EspeakNarrator(speed: 1.8).narrate(text, to: folder.url.appendingPathComponent("b.wav"))
        #expect(fast.words.map(\.text) == normal.words.map(\.text))
        #expect(fast.duration < normal.duration * 0.85, "fast \(fast.duration) s vs normal \(normal.duration) s")
        #expect(EspeakNarrator(speed: 1.8).cacheKey != EspeakNarrator(speed: 1).cacheKey)
        #expect(EspeakNarrator(voice: "en-gb").cacheKey != EspeakNarrator(voice: "en-us").cacheKey)
    }

    @Test(.enabled(if: espeakInstalled, "espeak-ng is not installed"), .timeLimit(.minutes(1)))
    func unknownVoice() async throws {
        let folder = try TempFolder()
        let destination = folder.url.appendingPathComponent("x.wav")
        do {
            _ = try await EspeakNarrator(voice: "xx-no-such-voice").narrate("Hello there.", to: destination)
            Issue.record("expected unknownVoice")
        } catch let error as VoiceError {
            #expect(error.code == .unknownVoice)
            #expect(error.message.contains("xx-no-such-voice"))
        }
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }

    @Test(arguments: ["", "   \n ", "... — !?"])
    func emptyOrPunctuationOnlyText(text: String) async throws {
        let folder = try TempFolder()
        do {
            _ = try await EspeakNarrator().narrate(text, to: folder.url.appendingPathComponent("x.wav"))
            Issue.record("expected emptyText")
        } catch let error as VoiceError {
            #expect(error.code == .emptyText)
        }
    }

    @Test func missingEspeakBinary() async throws {
        let folder = try TempFolder()
        let destination = folder.url.appendingPathComponent("x.wav")
        let narrator = EspeakNarrator(tool: Tool(name: "espeak-ng", path: "/nonexistent/espeak-ng"))
        do {
            _ = try await narrator.narrate("Hello there.", to: destination)
            Issue.record("expected engineMissing")
        } catch let error as VoiceError {
            #expect(error.code == .engineMissing)
            #expect(!error.description.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }

    @Test func catalogMakesAnEspeakNarratorAndRefusesUnknownEngines() throws {
        let narrator = try VoiceCatalog().narrator(for: VoiceChoice(engine: "espeak", voice: "en-gb", speed: 1.5))
        let espeak = try #require(narrator as? EspeakNarrator)
        #expect(espeak.voice == "en-gb")
        #expect(espeak.speed == 1.5)
        do {
            _ = try VoiceCatalog().narrator(for: VoiceChoice(engine: "polly", voice: "joanna"))
            Issue.record("expected unknownVoice")
        } catch {
            #expect(error.code == .unknownVoice)
        }
    }
}
