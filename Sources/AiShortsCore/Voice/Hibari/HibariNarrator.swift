public import Foundation
import HibariKernels

/// The hibari voice (the default): hibari-tts's front end, acoustic model and signal back end, in Swift.
///
/// Text is split into sentences; each sentence is phonemised by ``HibariG2P`` (cut at clause
/// punctuation when it is longer than the model takes at once), run through `hibari.onnx` on one
/// thread and turned into 24 kHz audio by ``HibariVocoder``, which is appended to the WAV file at
/// once, so memory does not grow with the text.
///
/// Word timings come from the model itself: the bootstrap adds a `durations` output to the graph
/// (the per-phoneme lengths it computes to expand phonemes into frames; one unit is 2 frames of
/// 300 samples). Each token's phonemes are located among the model's inputs, so its start and end
/// are sums of durations; ``WordAligner`` then carries the tokens' times to the script's words.
///
/// Both models (the front end's tables with its out-of-vocabulary net, and the acoustic model) are
/// taken from the ``ModelManager``, so concurrent jobs share them and they are freed when idle.
public struct HibariNarrator: Narrator {
    /// The voices hibari has; only `heart` ships in the wheel, the others are downloads.
    public static let voices = ["heart", "fenrir", "emma", "fable", "kore"]
    /// Samples per second of hibari's audio.
    public static let sampleRate = 24_000
    /// Samples per unit of the model's `durations` output (2 frames of 300 samples).
    static let samplesPerDurationUnit = 600

    /// The folder holding `hibari.onnx` and the front end's tables.
    public let assets: URL
    /// The voice name.
    public let voice: String
    /// Speaking speed (1 = the voice's own pace).
    public let speed: Double
    /// Where the models come from.
    public let models: ModelManager

    /// Creates the narrator for an installed voice.
    ///
    /// - Throws: ``VoiceError`` (`unknownVoice`) for a voice hibari does not have or that is not installed.
    public init(assets: URL, voice: String = "heart", speed: Double = 1, models: ModelManager) throws(VoiceError) {
        let name = voice.lowercased()
        guard Self.voices.contains(name) else {
            throw VoiceError(.unknownVoice, "hibari has no voice \"\(voice)\"; available: \(Self.voices.joined(separator: ", ")) (installed: heart)")
        }
        guard name == "heart" else {
            throw VoiceError(.unknownVoice, "hibari voice \"\(name)\" is not installed (only heart ships offline); use hibari:heart")
        }
        guard FileManager.default.fileExists(atPath: assets.appendingPathComponent("hibari.onnx").path) else {
            throw VoiceError(.engineMissing, "the hibari voice is not installed in \(assets.path); run `make bootstrap`")
        }
        self.assets = assets
        self.voice = name
        self.speed = speed
        self.models = models
    }

    /// The acoustic model file.
    public var modelFile: URL { assets.appendingPathComponent("hibari.onnx") }

    /// Engine, voice, speed and the model file's identity (size and date), so a new model is a new key.
    public var cacheKey: String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: modelFile.path)
        let size = attributes?[.size] as? Int ?? 0
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "hibari:\(voice)@\(speed)#\(size)-\(Int(date))-v1"
    }

    /// `hibari:VOICE`.
    public var label: String { "hibari:\(voice)" }

    /// The front end as a model the manager shares: lexicons, tagger and the out-of-vocabulary net.
    var frontEnd: ModelRequest<HibariFrontEnd> {
        let assets = assets
        return ModelRequest(id: "hibari-g2p:\(assets.standardizedFileURL.path)", name: "hibari front end", path: assets,
                            estimatedBytes: 96 << 20) {
            try HibariFrontEnd(assets: assets)
        }
    }

    /// Speaks `text` into a 24 kHz WAV file at `destination`.
    ///
    /// - Throws: ``VoiceError``: `emptyText` when there is nothing hibari can read, `engineFailed`
    ///   when a model cannot be loaded or run (the message says which and why).
    public func narrate(_ text: String, to destination: URL) async throws -> Narration {
        let words = Narration.words(in: text)
        guard !words.isEmpty else { throw VoiceError(.emptyText, "nothing to say: the text has no words") }
        // Phonemise everything first: a text hibari cannot read fails before any audio is made.
        let (sentences, plan, vocabulary): ([String], [[HibariChunk]], HibariVocabulary) = try await voiceErrors {
            try await models.withModel(frontEnd) { frontEnd in
                let sentences = frontEnd.g2p.sentences(in: text)
                return (sentences, try sentences.map { try frontEnd.g2p.phonemizeText($0) }, frontEnd.vocabulary)
            }
        }
        guard plan.contains(where: { !$0.isEmpty }) else {
            throw VoiceError(.emptyText, "hibari can read no word of \"\(text.prefix(60))\"; write the narration in English words")
        }

        let writer = try WAVFileWriter(destination: destination, sampleRate: Self.sampleRate)
        var noise = HibariGaussianNoise(seed: Self.seed(text, speed))
        var timed: [TimedWord] = []
        var allSpoken: [WordAligner.Spoken] = []
        try await voiceErrors {
            try await models.withModel(.onnx(modelFile, threads: 1)) { session in
                let vocoder = HibariVocoder()
                for (sentence, chunks) in zip(sentences, plan) {
                    try Task.checkCancellation()
                    let sentenceStart = writer.seconds
                    var spoken: [WordAligner.Spoken] = []
                    for chunk in chunks {
                        let (samples, tokens) = try synthesize(chunk, session: session, vocabulary: vocabulary,
                                                               vocoder: vocoder, noise: &noise, offset: writer.seconds)
                        try writer.append(samples)
                        spoken += tokens
                    }
                    allSpoken += spoken
                    timed += WordAligner.align(script: Narration.words(in: sentence), spoken: spoken, span: sentenceStart...writer.seconds)
                }
            }
        }
        if timed.map(\.text) != words {
            // Sentence boundaries moved a punctuation-only token between sentences; align the whole text.
            timed = WordAligner.align(script: words, spoken: allSpoken, span: 0...writer.seconds)
        }
        let duration = try writer.finish()
        return Narration(audio: destination, duration: duration, words: timed)
    }

    /// A seed from the text and speed, so the same narration is made again bit for bit (the cache relies on it).
    static func seed(_ text: String, _ speed: Double) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash ^ speed.bitPattern
    }

    /// Runs `body`, turning model errors into one-line voice errors.
    private func voiceErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ModelError {
            throw VoiceError(.engineFailed, "hibari: \(error.message)")
        }
    }
}

/// The hibari front end as one loaded unit: the G2P (with its out-of-vocabulary model) and the vocabulary.
final class HibariFrontEnd: Sendable {
    let g2p: HibariG2P
    let vocabulary: HibariVocabulary

    init(assets: URL) throws {
        g2p = try HibariG2P(assets: assets, oov: try HibariOOV(assets: assets))
        vocabulary = try HibariVocabulary(assets: assets)
    }
}
