public import Foundation

/// Maps a spec's `engine:voice` to a narrator.
///
/// Engines: `hibari` (the default neural voice), `piper` (any installed VITS voice), `kokoro`
/// (Kokoro-82M with any installed voice: Japanese from the bootstrap, other languages' voice packs
/// added by the user), `espeak` (espeak-ng, always there, the last resort). Neural engines get their models from ``models``, which
/// the catalog's users share: one catalog (and so one manager) per process or server.
public struct VoiceCatalog: Sendable {
    /// The espeak-ng program (the espeak engine, and Piper's phonemiser).
    public var espeak: Tool
    /// Where neural engines get their models.
    public var models: ModelManager
    /// Where installed voices are looked for.
    public var locations: ModelLocations

    /// Creates a catalog.
    public init(espeak: Tool = .espeak, models: ModelManager = ModelManager(), locations: ModelLocations = .standard()) {
        self.espeak = espeak
        self.models = models
        self.locations = locations
    }

    /// The narrator for `choice`.
    ///
    /// The default choice (hibari's heart) falls back to espeak-ng when hibari is not installed;
    /// any other missing voice is an error.
    /// - Throws: ``VoiceError`` (`unknownVoice`, `engineMissing`) naming what is installed.
    public func narrator(for choice: VoiceChoice) throws(VoiceError) -> any Narrator {
        switch choice.engine {
        case "hibari":
            guard let assets = locations.hibari else {
                if choice.engine == VoiceChoice.default.engine && choice.voice == VoiceChoice.default.voice {
                    return FallbackNarrator(
                        EspeakNarrator(voice: "en-us", speed: choice.speed, tool: espeak),
                        reason: "hibari is not installed (run `make bootstrap`)")
                }
                throw VoiceError(.engineMissing, "the hibari voice is not installed; run `make bootstrap`, or choose another voice (`aishorts voices`)")
            }
            return try HibariNarrator(assets: assets, voice: choice.voice, speed: choice.speed, models: models)
        case "piper":
            guard let model = locations.piperVoice(choice.voice) else {
                let installed = locations.piperVoices.map { $0.deletingPathExtension().lastPathComponent }
                throw VoiceError(.unknownVoice, "no Piper voice \"\(choice.voice)\"; installed: \(installed.isEmpty ? "none" : installed.joined(separator: ", ")) (a path to NAME.onnx with NAME.onnx.json also works)")
            }
            return try PiperNarrator(model: model, speed: choice.speed, models: models, espeak: espeak)
        case "kokoro":
            return try kokoroNarrator(choice)
        case "espeak":
            return EspeakNarrator(voice: choice.voice, speed: choice.speed, tool: espeak)
        default:
            throw VoiceError(.unknownVoice, "no voice engine \"\(choice.engine)\"; available: \(VoiceChoice.engines.joined(separator: ", "))")
        }
    }
}

/// A narrator standing in for the one a spec asked for, which is not installed.
public struct FallbackNarrator: Narrator {
    /// The narrator that speaks.
    public let narrator: any Narrator
    /// Why the requested voice is not used, for the report.
    public let reason: String

    /// Wraps `narrator`.
    public init(_ narrator: any Narrator, reason: String) {
        self.narrator = narrator
        self.reason = reason
    }

    /// The speaking narrator's key: the audio is its audio.
    public var cacheKey: String { narrator.cacheKey }

    /// The speaking narrator's label and why it stands in.
    public var label: String { "\(narrator.label) (\(reason))" }

    /// Speaks with the stand-in.
    public func narrate(_ text: String, to destination: URL) async throws -> Narration {
        try await narrator.narrate(text, to: destination)
    }
}

extension VoiceCatalog {
    /// The Kokoro narrator for `choice`: the installed model with the voice it names.
    ///
    /// - Throws: ``VoiceError``: `engineMissing` when the model is not installed, `unknownVoice` when
    ///   no installed voice pack has the voice (the message lists those that do).
    func kokoroNarrator(_ choice: VoiceChoice) throws(VoiceError) -> any Narrator {
        guard let model = locations.kokoroModel, let vocabulary = locations.kokoroVocabulary else {
            throw VoiceError(.engineMissing, "the Kokoro model is not installed; run `make bootstrap` (or `aishorts models add kokoro kokoro-v1.0.onnx`), or choose another voice (`aishorts voices`)")
        }
        guard let voice = locations.kokoroVoice(choice.voice) else {
            let installed = locations.kokoroVoices.map(\.name)
            throw VoiceError(.unknownVoice, "no Kokoro voice \"\(choice.voice)\"; installed: \(installed.isEmpty ? "none" : installed.joined(separator: ", ")) (add a voice pack with `aishorts models add kokoro FILE`)")
        }
        let openJTalk = locations.openJTalkVoice.map { OpenJTalk(tool: .openJTalk, voice: $0) }
        return try KokoroNarrator(model: model, vocabulary: vocabulary, voice: voice, speed: choice.speed, models: models,
                                  espeak: espeak, openJTalk: openJTalk)
    }
}
