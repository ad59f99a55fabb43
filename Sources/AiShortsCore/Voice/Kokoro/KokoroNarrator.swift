public import Foundation

/// Narrates with Kokoro-82M, the multilingual model hibari was distilled from, run in-process.
///
/// The voice's name says its language (``KokoroVoice/language``). Japanese text goes through
/// ``JapaneseFrontEnd`` (open_jtalk's readings, spelled in Kokoro's phonemes, words split the way
/// captions need them); other languages are phonemised by espeak-ng, as for Piper voices. Each sentence
/// (cut further where it would exceed the model's ``maximumPhonemes``) is run through the model on one
/// thread with the voice's style vector for its length, and appended to the 24 kHz WAV file at once.
///
/// How word timings are obtained: the bootstrap adds a `durations` output to the model's graph
/// (`scripts/expose-durations.py kokoro`): the whole number of frames (600 samples) the model gives
/// each input phoneme, which is exactly how it lays out the audio. Every phoneme is traced to its word
/// by the front end, so a word's start and end are sums of durations, not estimates.
///
/// The model and the voice's style vectors come from the ``ModelManager``, so concurrent jobs share them.
public struct KokoroNarrator: Narrator {
    /// Samples per second of Kokoro's audio.
    public static let sampleRate = 24_000
    /// The most phonemes given to the model at once (its context is 512 with the two pads).
    public static let maximumPhonemes = 500

    /// The model file (with the `durations` output the bootstrap adds).
    public let model: URL
    /// The phoneme vocabulary (`vocab.json`).
    public let vocabulary: URL
    /// The voice.
    public let voice: KokoroVoice
    /// The language spoken, from the voice's name.
    public let language: LanguageTag
    /// Speaking speed (1 = the voice's own pace).
    public let speed: Double
    /// Where the model and the voice come from.
    public let models: ModelManager
    /// espeak-ng, the front end of the languages other than Japanese.
    public let espeak: Tool
    /// open_jtalk, the Japanese front end; nil when it has no HTS voice to run with.
    public let openJTalk: OpenJTalk?

    /// Creates the narrator for an installed voice.
    ///
    /// Nothing is loaded here; the model and the voice are loaded by `models` on the first narration.
    /// - Throws: ``VoiceError``: `unknownVoice` for a voice whose name gives no language Kokoro speaks,
    ///   `engineMissing` for a Japanese voice without open_jtalk's HTS voice, `engineFailed` for a speed
    ///   that is not a positive number.
    public init(model: URL, vocabulary: URL, voice: KokoroVoice, speed: Double = 1, models: ModelManager,
                espeak: Tool = .espeak, openJTalk: OpenJTalk?) throws(VoiceError) {
        guard speed.isFinite, speed > 0 else {
            throw VoiceError(.engineFailed, "Kokoro speed must be a positive number, not \(speed)")
        }
        guard let language = voice.language else {
            throw VoiceError(.unknownVoice, "Kokoro voice \(voice.name): its first letter names no language Kokoro speaks (a, b, e, f, h, i, j, p, z)")
        }
        if language.language == "ja" && openJTalk == nil {
            throw VoiceError(.engineMissing, "Japanese Kokoro voices need open_jtalk with an HTS voice; run `make bootstrap`")
        }
        self.model = model
        self.vocabulary = vocabulary
        self.voice = voice
        self.language = language
        self.speed = speed
        self.models = models
        self.espeak = espeak
        self.openJTalk = openJTalk
    }

    /// `kokoro:NAME@SPEED#…`: the model's and the voice file's size and date are part of it, so a new
    /// model or voice pack is a new key.
    public var cacheKey: String {
        func identity(_ url: URL) -> String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            let size = attributes?[.size] as? Int ?? 0
            let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size)-\(Int(date))"
        }
        return "kokoro:\(voice.name)@\(speed)#\(identity(model))+\(identity(voice.file))-v1"
    }

    /// `kokoro:NAME`.
    public var label: String { "kokoro:\(voice.name)" }

    /// The voice's style vectors, as a model the manager shares.
    var styles: ModelRequest<KokoroStyles> {
        let voice = voice
        return ModelRequest(id: "kokoro-voice:\(voice.file.standardizedFileURL.path)#\(voice.name)", name: "\(voice.name) style",
                            path: voice.file, estimatedBytes: KokoroVoice.styleRows * KokoroVoice.styleWidth * 4) {
            try voice.styles()
        }
    }

    /// Speaks `text` into a 24 kHz WAV file at `destination`.
    ///
    /// Japanese words are the script's words as captions split them (no spaces in the script); other
    /// languages' words are the script's whitespace-separated words.
    /// - Throws: ``VoiceError``: `emptyText` when there is nothing to say; `engineMissing` when
    ///   open_jtalk, espeak-ng or ONNX Runtime is missing; `engineFailed` when the model cannot be loaded
    ///   or run or has no `durations` output (the message says what to do). `CancellationError`.
    public func narrate(_ text: String, to destination: URL) async throws -> Narration {
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw VoiceError(.emptyText, "a scene has no words to speak; give every scene some text")
        }
        let utterances: [KokoroUtterance]
        if language.language == "ja", let openJTalk {
            let frontEnd = JapaneseFrontEnd(openJTalk: openJTalk)
            var made: [KokoroUtterance] = []
            for sentence in JapaneseFrontEnd.sentences(in: text) {
                try Task.checkCancellation()
                made.append(try await frontEnd.utterance(sentence))
            }
            utterances = Self.mergingSilentWords(made)
        } else {
            utterances = try await espeakUtterances(text)
        }
        guard utterances.contains(where: { !$0.isSilent }) else {
            throw VoiceError(.emptyText, "Kokoro voice \(voice.name) finds nothing to say in this text; write the narration in \(language.englishName)")
        }
        let ids = try KokoroVocabulary(contentsOf: vocabulary)
        do {
            let styles = try await models.withModel(styles) { $0 }
            return try await models.withModel(.onnx(model, threads: 1)) { session in
                try speak(utterances, ids: ids, styles: styles, session: session, to: destination)
            }
        } catch let error as ModelError {
            throw VoiceError(error.code == .runtimeMissing ? .engineMissing : .engineFailed,
                             "Kokoro voice \(voice.name): \(error.message.split(whereSeparator: \.isNewline).joined(separator: " "))")
        }
    }

    /// Utterances whose words say nothing (a sentence of punctuation only) give their text to the word before.
    static func mergingSilentWords(_ utterances: [KokoroUtterance]) -> [KokoroUtterance] {
        var merged: [KokoroUtterance] = []
        for utterance in utterances {
            if utterance.words.allSatisfy({ !$0.contains(where: { $0.isLetter || $0.isNumber }) }), var last = merged.popLast(),
               let word = last.words.popLast() {
                last.words.append(word + utterance.words.joined())
                merged.append(last)
            } else {
                merged.append(utterance)
            }
        }
        return merged
    }
}
