@testable import AiShortsCore
import Foundation
import Testing

/// The Kokoro engine end to end: Japanese text to WAV with caption words and their timings.
@Suite("KokoroNarrator", .serialized)
struct KokoroNarratorTests {
    static let locations = ModelLocations(roots: [Fixtures.packageRoot.appendingPathComponent(".deps/models")])

    static func narrator(_ voice: String = "jf_alpha", manager: ModelManager = ModelManager(), speed: Double = 1) throws -> KokoroNarrator {
        try #require(locations.kokoroModel != nil, "the Kokoro model is not installed: run `make bootstrap`")
        try #require(locations.openJTalkVoice != nil && (try? Tool.openJTalk.resolved()) != nil,
                     "open_jtalk or its HTS voice is missing: run `make bootstrap`")
        let narrator = try VoiceCatalog(models: manager, locations: locations).narrator(for: VoiceChoice(engine: "kokoro", voice: voice, speed: speed))
        return try #require(narrator as? KokoroNarrator)
    }

    /// Kanji, kana, katakana, a number, a Latin acronym and punctuation, in three sentences.
    static let script = "東京タワーは1958年に完成しました。高さは333メートルで、とても有名です！みなさん、行ってみたいですか？"

    @Test("a Japanese script: plausible length, caption words covering the text, in order, on sounding audio")
    func japaneseScript() async throws {
        let narrator = try Self.narrator()
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let narration = try await narrator.narrate(Self.script, to: fixtures.url("ja.wav"))
        let audio = try WAVAudio(contentsOf: narration.audio)
        #expect(audio.sampleRate == 24_000)
        #expect(abs(narration.duration - audio.duration) < 0.01)
        // About 70 morae of speech at 6 to 10 morae a second, plus pauses.
        #expect((5...16).contains(narration.duration), "\(narration.duration) s")

        let words = narration.words.map(\.text)
        #expect(words.joined() == Self.script.filter { !$0.isWhitespace })
        #expect(words.count >= 10 && words.allSatisfy { $0.count <= 12 }, "\(words)")
        #expect(words.contains("1958年に"), "the number is one word with its counter and particle: \(words)")
        #expect(words.first == "東京タワーは", "\(words)")
        #expect(words.contains { $0.hasSuffix("。") } && words.last?.hasSuffix("？") == true)

        var previousEnd = 0.0
        for word in narration.words {
            #expect(word.start >= previousEnd - 1e-6, "\(word) starts before the word before it ends")
            #expect(word.end > word.start, "\(word) has a span")
            #expect(word.end <= narration.duration + 1e-6)
            previousEnd = word.end
        }
        // Each word's middle falls on sound, not on the pauses between sentences.
        let sounding = audio.soundingRanges(minimumGap: 0.08).map {
            (Double($0.lowerBound) / Double(audio.sampleRate), Double($0.upperBound) / Double(audio.sampleRate))
        }
        for word in narration.words {
            let middle = (word.start + word.end) / 2
            #expect(sounding.contains { $0.0 - 0.02 <= middle && middle <= $0.1 + 0.02 }, "\(word) is on silence")
        }
        // The three sentences are heard apart: a pause separates the last word of one from the next.
        let ends = narration.words.indices.filter { "。！".contains(narration.words[$0].text.last!) }
        for end in ends where end + 1 < narration.words.count {
            #expect(narration.words[end + 1].start - narration.words[end].end > 0.15)
        }
    }

    @Test("a Portuguese voice pack a user adds speaks through espeak-ng's phonemes, with the script's words")
    func portuguese() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let user = try VoiceCatalogLanguageTests.userRoot(fixtures, piper: false)
        let catalog = VoiceCatalog(locations: ModelLocations(roots: [user] + Self.locations.roots))
        let narrator = try #require(try catalog.narrator(for: VoiceChoice(engine: "kokoro", voice: "pf_test")) as? KokoroNarrator)
        #expect(narrator.language.description == "pt-BR")
        let text = "Custa só R$ 9,90. A ação começa às três, não perca!"
        let narration = try await narrator.narrate(text, to: fixtures.url("pt.wav"))
        #expect(narration.words.map(\.text) == Narration.words(in: text))
        #expect((2...9).contains(narration.duration), "\(narration.duration) s")
        var previousEnd = 0.0
        for word in narration.words {
            #expect(word.start >= previousEnd - 1e-6 && word.end > word.start && word.end <= narration.duration + 1e-6, "\(word)")
            previousEnd = word.end
        }
        // "9,90" is read as several words by espeak-ng: it gets their time, not a sliver.
        let price = try #require(narration.words.first { $0.text == "9,90." })
        #expect(price.end - price.start > 0.5)
    }

    @Test("speed shortens the audio, the same text gives the same audio, and the model loads once")
    func speedAndDeterminism() async throws {
        let manager = ModelManager()
        let normal = try Self.narrator(manager: manager)
        let fast = try Self.narrator(manager: manager, speed: 1.5)
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let text = "今日はいい天気ですね。"
        let a = try await normal.narrate(text, to: fixtures.url("a.wav"))
        let b = try await normal.narrate(text, to: fixtures.url("b.wav"))
        let c = try await fast.narrate(text, to: fixtures.url("c.wav"))
        #expect(try Data(contentsOf: a.audio) == Data(contentsOf: b.audio))
        #expect(c.duration < a.duration * 0.85)
        #expect(normal.cacheKey != fast.cacheKey && normal.cacheKey.hasPrefix("kokoro:jf_alpha@1.0#"))
        #expect(await manager.usageReport().map(\.loads) == [1, 1], "the voice and the model loaded once for all three")
    }

    @Test("bad input: nothing to say, symbols only, a model without durations")
    func badInput() async throws {
        let narrator = try Self.narrator()
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        for text in ["   ", "。。。！", "🙂🚀"] {
            do {
                _ = try await narrator.narrate(text, to: fixtures.url("e.wav"))
                Issue.record("\(text) was narrated")
            } catch let error as VoiceError {
                #expect(error.code == .emptyText, "\(text): \(error)")
            }
        }
        // Emoji and symbols inside a sentence are kept in the words and skipped in the voice.
        let mixed = try await narrator.narrate("ロケット🚀が飛んだ！", to: fixtures.url("m.wav"))
        #expect(mixed.words.map(\.text).joined() == "ロケット🚀が飛んだ！")

        // The Piper voice is no Kokoro model: it has no `durations` of Kokoro's and the wrong inputs.
        let piper = Fixtures.packageRoot.appendingPathComponent(".deps/models/piper/en_US-joe-medium.onnx")
        let wrong = try KokoroNarrator(model: piper, vocabulary: narrator.vocabulary, voice: narrator.voice, models: ModelManager(),
                                       openJTalk: narrator.openJTalk)
        do {
            _ = try await wrong.narrate("こんにちは。", to: fixtures.url("w.wav"))
            Issue.record("a Piper model narrated as Kokoro")
        } catch let error as VoiceError {
            #expect(error.code == .engineFailed)
            #expect(!error.message.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixtures.url("w.wav").path))
    }
}
