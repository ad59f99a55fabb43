public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Narrates with a Piper voice: any VITS `NAME.onnx` with its `NAME.onnx.json`, run in-process.
///
/// Text is cut into sentences (at most ``maximumSentenceWords`` words); each is phonemised by
/// espeak-ng (run as a process, see ``PiperPhonemizer``), turned into ids as Piper does, run through
/// the model on one thread and appended to the WAV file at once, with a short pause between
/// sentences, so memory does not grow with the text. Like Piper, each sentence is scaled so that its
/// peak is full scale.
///
/// How word timings are obtained: the bootstrap adds a `durations` output to the voice's graph
/// (`scripts/expose-durations.py`): the whole number of audio frames (256 samples) the model gives
/// each input id. To know which ids speak which script word, every word is also phonemised alone, in
/// one extra espeak-ng run, and those phonemes are aligned with the sentence's (espeak-ng reads
/// "2024" as four words and merges "in the" into one); each id is then traced to its word. A word's
/// start and end are the sums of the durations before its first and after its last phoneme. Only a
/// word that gets no phoneme of its own (espeak-ng says nothing for it) is placed by proportion, in
/// the pause next to it.
///
/// The model is taken from the ``ModelManager`` for the whole narration, so concurrent narrations
/// with one voice share one loaded copy.
public struct PiperNarrator: Narrator {
    /// The voice's configuration.
    public let voice: PiperVoice
    /// Speaking speed (1 = the voice's own pace; 1.5 is half as fast again).
    public let speed: Double
    /// Where the model comes from.
    public let models: ModelManager
    /// The espeak-ng program that phonemises text.
    public let espeak: Tool
    /// `piper:NAME@SPEED#FINGERPRINT`: a changed voice file or configuration is a new key.
    public let cacheKey: String

    /// Silence between two sentences at normal speed, in seconds (Piper's own default).
    static let sentencePause = 0.2
    /// Silence standing in for a sentence espeak-ng finds nothing to say in.
    static let silentSentence = 0.3

    /// Opens the voice whose model is `model` (its configuration is `model` with `.json` appended).
    ///
    /// Only the configuration is read here; the model is loaded by `models` on the first narration.
    /// - Throws: ``VoiceError``: `unknownVoice` when the model or its configuration is missing,
    ///   `engineFailed` when the configuration cannot be used or `speed` is not a positive number.
    public init(model: URL, speed: Double = 1.0, models: ModelManager, espeak: Tool = .espeak) throws(VoiceError) {
        guard speed.isFinite, speed > 0 else {
            throw VoiceError(.engineFailed, "Piper speed must be a positive number, not \(speed)")
        }
        let voice = try PiperVoice(model: model)
        self.voice = voice
        self.speed = speed
        self.models = models
        self.espeak = espeak
        cacheKey = "piper:\(voice.name)@\(speed)#\(voice.fingerprint)"
    }

    /// `piper:NAME`.
    public var label: String { "piper:\(voice.name)" }

    /// Speaks `text` into a WAV file at `destination`, at the voice's sample rate.
    ///
    /// The file appears whole or not at all. See the type's discussion for how timings are found.
    /// - Throws: ``VoiceError``: `emptyText` when the text has no words or nothing espeak-ng can say;
    ///   `engineMissing` when espeak-ng or ONNX Runtime is missing; `unknownVoice` when the model file
    ///   is gone; `engineFailed` when the model cannot be loaded or run (the message says why).
    ///   `CancellationError` when the task is cancelled.
    public func narrate(_ text: String, to destination: URL) async throws -> Narration {
        let words = Narration.words(in: text)
        guard !words.isEmpty else {
            throw VoiceError(.emptyText, "a scene has no words to speak; give every scene some text")
        }
        let phonemizer = PiperPhonemizer(voice: voice.espeakVoice, tool: espeak)
        let wordIPA = try await phonemizer.words(words)
        do {
            return try await models.withModel(ModelRequest.onnx(voice.model, threads: 1)) { session in
                try await speak(words, wordIPA: wordIPA, phonemizer: phonemizer, session: session, to: destination)
            }
        } catch let error as ModelError {
            throw voiceError(error)
        }
    }

    private func speak(_ words: [String], wordIPA: [String], phonemizer: PiperPhonemizer, session: OnnxSession,
                       to destination: URL) async throws -> Narration {
        guard session.outputNames.contains("durations") else {
            throw VoiceError(.engineFailed, "Piper voice \(voice.name) has no `durations` output, which word timings come from; add it with `scripts/expose-durations.py piper \(voice.model.path) \(voice.model.path)`")
        }
        let writer = try WAVFileWriter(destination: destination, sampleRate: voice.sampleRate)
        var timed: [TimedWord] = []
        var spoke = false
        for (index, range) in Self.sentences(words).enumerated() {
            try Task.checkCancellation()
            if index > 0 { try writer.appendSilence(seconds: Self.sentencePause / speed) }
            let offset = writer.seconds
            let sentence = Array(words[range])
            let ipa = try await phonemizer.sentence(sentence.joined(separator: " "))
            let utterance = Self.utterance(ipa: ipa, wordIPA: Array(wordIPA[range]), words: sentence, voice: voice)
            guard !utterance.isSilent else {
                try writer.appendSilence(seconds: Self.silentSentence)
                timed += zip(sentence, Self.spread(sentence, over: 0...Self.silentSentence)).map { word, span in
                    TimedWord(text: word, start: offset + span.lowerBound, end: offset + span.upperBound)
                }
                continue
            }
            let (audio, durations) = try synthesize(utterance.ids, session: session)
            // Piper scales every sentence to full scale (with a floor, so near-silence stays quiet).
            let peak = audio.reduce(Float(0)) { max($0, abs($1)) }
            let gain = 1 / max(peak, 0.01)
            try writer.append(audio.map { $0 * gain })
            let seconds = Double(audio.count) / Double(voice.sampleRate)
            timed += Self.timings(words: sentence, utterance: utterance, durations: durations, seconds: seconds)
                .map { $0.shifted(by: offset) }
            spoke = true
        }
        guard spoke else {
            throw VoiceError(.emptyText, "espeak-ng finds nothing to say in this text; give the scene words Piper can read")
        }
        let duration = try writer.finish()
        return Narration(audio: destination, duration: duration, words: timed)
    }

    /// Runs the model on one sentence's ids.
    ///
    /// - Returns: the audio, in roughly -1...1, and the frames of each id.
    /// - Throws: ``ModelError`` when the run fails; ``VoiceError`` when the outputs are not what a
    ///   Piper voice gives.
    func synthesize(_ ids: [Int64], session: OnnxSession) throws -> (audio: [Float], durations: [Float]) {
        var inputs: [String: OnnxTensor] = [
            "input": .int64(ids, shape: [1, ids.count]),
            "input_lengths": .int64([Int64(ids.count)], shape: [1]),
            "scales": .float([Float(voice.noiseScale), Float(voice.lengthScale / speed), Float(voice.noiseW)], shape: [3]),
        ]
        // Voices with several speakers take one; the first is the voice's default.
        if session.inputNames.contains("sid") { inputs["sid"] = .int64([0], shape: [1]) }
        let outputs = try session.run(inputs, outputs: ["output", "durations"])
        // `output` is [1, 1, T] or [1, 1, 1, T] depending on the export; only its length matters.
        guard let audio = outputs["output"]?.floats,
              let durations = outputs["durations"]?.floats ?? outputs["durations"]?.int64s?.map(Float.init),
              durations.count == ids.count else {
            throw VoiceError(.engineFailed, "Piper voice \(voice.name) gave no audio or no duration per phoneme; is \(voice.model.lastPathComponent) a Piper VITS voice?")
        }
        return (audio, durations)
    }

    /// A model error as a voice error, on one line naming the voice.
    private func voiceError(_ error: ModelError) -> VoiceError {
        let code: VoiceError.Code = switch error.code {
        case .fileMissing: .unknownVoice
        case .runtimeMissing: .engineMissing
        default: .engineFailed
        }
        let message = error.message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return VoiceError(code, "Piper voice \(voice.name): \(message)")
    }
}
