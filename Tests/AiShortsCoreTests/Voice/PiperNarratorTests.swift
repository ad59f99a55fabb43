@testable import AiShortsCore
import Foundation
import Testing

/// The Piper engine on the real joe voice the bootstrap installs, plus its text and alignment helpers.
@Suite("PiperNarrator", .serialized)
struct PiperNarratorTests {
    static let joe = Fixtures.packageRoot.appendingPathComponent(".deps/models/piper/en_US-joe-medium.onnx")
    static let ready = FileManager.default.fileExists(atPath: joe.path) && (try? Tool.espeak.resolved()) != nil

    /// A fresh temporary folder, removed when the value is dropped.
    final class TempFolder: Sendable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-piper-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    }

    static func rms(_ samples: [Int16], _ range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        var sum = 0.0
        for index in range { let value = Double(samples[index]); sum += value * value }
        return (sum / Double(range.count)).squareRoot()
    }

    /// Narrates `text` and checks what every narration must satisfy; returns it with its audio.
    static func narrate(_ text: String, narrator: PiperNarrator, in folder: TempFolder, name: String = "n.wav")
        async throws -> (Narration, WAVAudio) {
        let narration = try await narrator.narrate(text, to: folder.file(name))
        let audio = try WAVAudio(contentsOf: narration.audio)
        #expect(audio.sampleRate == 22050)
        #expect(abs(narration.duration - audio.duration) < 1e-9, "duration \(narration.duration) vs \(audio.samples.count) samples")
        #expect(narration.words.map(\.text) == Narration.words(in: text))
        for word in narration.words {
            #expect(word.start >= 0 && word.end > word.start, "\(word) has no span")
            #expect(word.end <= narration.duration + 1e-9, "\(word) ends after the audio (\(narration.duration) s)")
        }
        for (a, b) in zip(narration.words, narration.words.dropFirst()) {
            #expect(a.end <= b.start + 1e-9, "\(a) overlaps \(b)")
        }
        return (narration, audio)
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(2)))
    func aSentenceHasTheModelsTimings() async throws {
        let folder = try TempFolder()
        let models = ModelManager()
        let narrator = try PiperNarrator(model: Self.joe, models: models)
        let text = "The quick brown fox jumps over the lazy dog, and then it rests."
        let clock = ContinuousClock()
        let started = clock.now
        let (narration, audio) = try await Self.narrate(text, narrator: narrator, in: folder)
        let elapsed = (clock.now - started).inSeconds
        print("piper joe: \(String(format: "%.2f", narration.duration)) s of audio in \(String(format: "%.2f", elapsed)) s (model load included)")

        // Speech inside every word, and the first word starts where the sound does (within 60 ms).
        let rate = Double(audio.sampleRate)
        func sample(_ seconds: Double) -> Int { min(max(Int(seconds * rate), 0), audio.samples.count) }
        for word in narration.words {
            #expect(Self.rms(audio.samples, sample(word.start)..<sample(word.end)) > 300, "\"\(word.text)\" is silent")
        }
        let sound = audio.soundingRanges(minimumGap: 0.1)
        let onset = Double(try #require(sound.first).lowerBound) / rate
        let offset = Double(try #require(sound.last).upperBound) / rate
        let first = try #require(narration.words.first)
        let last = try #require(narration.words.last)
        #expect(abs(first.start - onset) < 0.06, "first word at \(first.start) s, sound from \(onset) s")
        #expect(abs(last.end - offset) < 0.15, "last word ends at \(last.end) s, sound until \(offset) s")
        #expect(narration.duration > 2 && narration.duration < 6)

        // One unit of `durations` is one frame of 256 samples: they add up to the audio exactly.
        let utterance = PiperNarrator.utterance(ipa: ["fɹˈeɪmz", "ˈæd", "ˈʌp"], wordIPA: ["fɹˈeɪmz", "ˈæd", "ˈʌp"],
                                                words: ["Frames", "add", "up."], voice: narrator.voice)
        let (samples, durations) = try await models.withModel(ModelRequest.onnx(Self.joe, threads: 1)) { session in
            try narrator.synthesize(utterance.ids, session: session)
        }
        #expect(durations.count == utterance.ids.count)
        #expect(Int(durations.reduce(0, +)) * 256 == samples.count)
        #expect(await models.usageReport().map(\.loads) == [1])
        await models.releaseIdleModels()
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(2)))
    func pausesInTheAudioFallBetweenWords() async throws {
        let folder = try TempFolder()
        let models = ModelManager()
        let narrator = try PiperNarrator(model: Self.joe, models: models)
        let (narration, audio) = try await Self.narrate("One. Two. Three.", narrator: narrator, in: folder)
        let rate = Double(audio.sampleRate)
        let sound = audio.soundingRanges(minimumGap: 0.15).map { Double($0.lowerBound) / rate...Double($0.upperBound) / rate }
        try #require(sound.count == 3, "expected three spoken stretches, found \(sound)")
        for (word, stretch) in zip(narration.words, sound) {
            // Each word lies on its own stretch of sound, give or take a frame or two of fade.
            #expect(word.start > stretch.lowerBound - 0.06 && word.start < stretch.lowerBound + 0.06, "\(word) vs \(stretch)")
            #expect(word.end > stretch.upperBound - 0.1 && word.end < stretch.upperBound + 0.1, "\(word) vs \(stretch)")
        }
        await models.releaseIdleModels()
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(2)))
    func fasterSpeedGivesShorterAudioAndAnotherKey() async throws {
        let folder = try TempFolder()
        let models = ModelManager()
        let normal = try PiperNarrator(model: Self.joe, models: models)
        let fast = try PiperNarrator(model: Self.joe, speed: 1.5, models: models)
        let text = "Octopuses have three hearts and blue blood."
        let (slow, _) = try await Self.narrate(text, narrator: normal, in: folder, name: "a.wav")
        // The second narration replaces the first's file, leaving nothing else behind.
        let (quick, _) = try await Self.narrate(text, narrator: fast, in: folder, name: "a.wav")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["a.wav"])
        #expect(quick.duration < slow.duration * 0.8, "1.5x gives \(quick.duration) s, 1x \(slow.duration) s")
        #expect(normal.cacheKey.hasPrefix("piper:en_US-joe-medium@1.0#"))
        #expect(fast.cacheKey != normal.cacheKey)
        #expect(normal.label == "piper:en_US-joe-medium")
        #expect(await models.usageReport().map(\.loads) == [1], "both speeds use one loaded model")
        await models.releaseIdleModels()
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(2)))
    func numbersAbbreviationsAndSeveralSentencesGiveEveryWordATime() async throws {
        let folder = try TempFolder()
        let models = ModelManager()
        let narrator = try PiperNarrator(model: Self.joe, models: models)
        let text = "It costs $9.99 in 2024. Dr. Smith said: \"really?\" (yes) — in the U.S.A. it's rock-and-roll!"
        let (narration, _) = try await Self.narrate(text, narrator: narrator, in: folder)
        let spans = Dictionary(narration.words.map { ($0.text, $0.end - $0.start) }, uniquingKeysWith: max)
        // "$9.99" is five spoken words and "2024." four; "in" is one short one.
        #expect(try #require(spans["$9.99"]) > 2 * (try #require(spans["in"])))
        #expect(try #require(spans["2024."]) > 2 * (try #require(spans["in"])))
        await models.releaseIdleModels()
    }

    @Test(arguments: ["", "   \n ", "... — !?", "🙂 🎉🎉"])
    func textWithoutWordsIsEmptyText(text: String) async throws {
        try #require(FileManager.default.fileExists(atPath: Self.joe.path))
        let folder = try TempFolder()
        let narrator = try PiperNarrator(model: Self.joe, models: ModelManager())
        await #expect { try await narrator.narrate(text, to: folder.file("x.wav")) } throws: { error in
            (error as? VoiceError)?.code == .emptyText
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("x.wav").path))
    }

    @Test func aMissingVoiceIsAClearError() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/voices/en_GB-nobody-low.onnx")
        #expect { try PiperNarrator(model: missing, models: ModelManager()) } throws: { error in
            guard let error = error as? VoiceError else { return false }
            return error.code == .unknownVoice && error.message.contains(missing.path) && !error.description.contains("\n")
        }
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(1)))
    func aCorruptModelIsAClearError() async throws {
        let folder = try TempFolder()
        let model = folder.file("broken.onnx")
        try Data("not a model".utf8).write(to: model)
        try FileManager.default.copyItem(at: Self.joe.appendingPathExtension("json"), to: model.appendingPathExtension("json"))
        let narrator = try PiperNarrator(model: model, models: ModelManager())
        let destination = folder.file("x.wav")
        await #expect { try await narrator.narrate("Hello there.", to: destination) } throws: { error in
            guard let error = error as? VoiceError else { return false }
            return error.code == .engineFailed && error.message.contains("broken") && !error.description.contains("\n")
        }
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }

    @Test func aBrokenConfigurationNamesTheFile() throws {
        let folder = try TempFolder()
        let model = folder.file("odd.onnx")
        try Data("x".utf8).write(to: model)
        try Data(#"{"audio": {"sample_rate": 22050}}"#.utf8).write(to: model.appendingPathExtension("json"))
        #expect { try PiperVoice(model: model) } throws: { error in
            guard let error = error as? VoiceError else { return false }
            return error.message.contains("odd.onnx.json") && error.message.contains("phoneme")
        }
    }

    @Test(.enabled(if: ready, "run `make bootstrap` for the joe voice and espeak-ng"), .timeLimit(.minutes(2)))
    func concurrentNarrationsShareOneModelLoad() async throws {
        let folder = try TempFolder()
        let models = ModelManager()
        let narrator = try PiperNarrator(model: Self.joe, models: models)
        async let first = Self.narrate("Two jobs speak at once.", narrator: narrator, in: folder, name: "a.wav")
        async let second = Self.narrate("Both use one voice model.", narrator: narrator, in: folder, name: "b.wav")
        let (a, b) = try await (first, second)
        #expect(a.0.duration > 0.5 && b.0.duration > 0.5)
        let usage = try #require(await models.usageReport().first)
        #expect(usage.loads == 1)
        #expect(usage.sharedUses == 1)
        await models.releaseIdleModels()
    }
}

// MARK: - Text and alignment

extension PiperNarratorTests {
    @Test func sentencesEndAtStopsButNotAtAbbreviationsOrInitials() {
        let words = Narration.words(in: "Dr. Smith met J. R. Ewing. Really? Yes! e.g. this... and U.S.A. too")
        let sentences = PiperNarrator.sentences(words).map { words[$0].joined(separator: " ") }
        #expect(sentences == ["Dr. Smith met J. R. Ewing.", "Really?", "Yes!", "e.g. this... and U.S.A. too"])
        let long = (1...100).map { $0 == 30 ? "w\($0)," : "w\($0)" }
        let cuts = PiperNarrator.sentences(long)
        #expect(cuts.map(\.count) == [30, 40, 30])
    }

    @Test func punctuationIsPipersClauseTerminators() {
        #expect(PiperNarrator.punctuation(after: "\"really?\"", final: true) == "?")
        #expect(PiperNarrator.punctuation(after: "end", final: true) == ".")
        #expect(PiperNarrator.punctuation(after: "well,", final: false) == ",")
        #expect(PiperNarrator.punctuation(after: "wait...", final: false) == ",")
        #expect(PiperNarrator.punctuation(after: "Dr.", final: false) == nil)
        #expect(PiperPhonemizer.trimmed("\"(really?)\"") == "really")
        #expect(PiperPhonemizer.trimmed("$9.99,") == "$9.99")
        #expect(PiperPhonemizer.normalize(" (fr)kafe(en)  ç ") == "kafe c\u{327}")
    }

    @Test func mergedAndExpandedWordsAreSplitAtTheRightPhoneme() {
        func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars.filter { $0 != " " }) }
        // espeak-ng says "in the Moon" as "ɪnðə mˈuːn"; alone the words are "ˈɪn", "ðˈə", "mˈuːn".
        let merged = PiperNarrator.label(["ɪnðə", "mˈuːn"].map(scalars), with: ["ˈɪn", "ðˈə", "mˈuːn"].map(scalars))
        #expect(merged == [[0, 0, 1, 1], [2, 2, 2, 2, 2]])
        // "$9.99 in" is five IPA words then one.
        let sentence = ["dˈɑːlɚ", "nˈaɪn", "pɔɪnt", "nˈaɪn", "nˈaɪn", "ɪn"].map(scalars)
        let labels = PiperNarrator.label(sentence, with: ["dˈɑːlɚ nˈaɪn pɔɪnt nˈaɪn nˈaɪn", "ˈɪn"].map(scalars))
        #expect(labels.map { Set($0) } == [[0], [0], [0], [0], [0], [1]])
    }

    @Test func idsAreBosPhonemeThenPadEachThenEos() throws {
        try #require(FileManager.default.fileExists(atPath: Self.joe.path))
        let voice = try PiperVoice(model: Self.joe)
        #expect(voice.sampleRate == 22050)
        #expect(voice.espeakVoice == "en-us")
        let (ids, owners) = voice.ids(for: Array("hə☃".unicodeScalars))
        // ^ _ h _ ə _ $ ; the snowman is not a phoneme and is skipped.
        #expect(ids == [1, 0, 20, 0, 59, 0, 2])
        #expect(owners == [nil, nil, 0, 0, 1, 1, nil])
    }
}
