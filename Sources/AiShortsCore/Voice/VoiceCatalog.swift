/// Maps a spec's `engine:voice` to a narrator.
///
/// New engines (neural voices) are added here; the pipeline only sees ``Narrator``.
public struct VoiceCatalog: Sendable {
    /// The espeak-ng program.
    public var espeak: Tool

    /// Creates a catalog.
    public init(espeak: Tool = .espeak) {
        self.espeak = espeak
    }

    /// The narrator for `choice`.
    ///
    /// - Throws: ``VoiceError`` (`unknownVoice`) for an engine this build does not have.
    public func narrator(for choice: VoiceChoice) throws(VoiceError) -> any Narrator {
        switch choice.engine {
        case "espeak":
            return EspeakNarrator(voice: choice.voice, speed: choice.speed, tool: espeak)
        default:
            throw VoiceError(.unknownVoice, "no voice engine \"\(choice.engine)\"; available: \(VoiceChoice.engines.joined(separator: ", "))")
        }
    }
}
