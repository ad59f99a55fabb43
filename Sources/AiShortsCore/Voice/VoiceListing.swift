public import Foundation

/// A voice that can narrate on this machine, as `aishorts voices` and `GET /api/v1/voices` list it.
public struct VoiceListing: Sendable, Hashable, Codable {
    /// `engine:voice`, as a spec names it.
    public var voice: String
    /// The engine.
    public var engine: String
    /// Where its model or program is.
    public var location: String
    /// What to know about it.
    public var note: String

    /// The installed voices: hibari's, every Piper voice, then espeak-ng (the last resort).
    public static func installed(_ locations: ModelLocations = .standard(), espeak: Tool = .espeak) -> [VoiceListing] {
        var voices: [VoiceListing] = []
        if let hibari = locations.hibari {
            voices.append(VoiceListing(voice: "hibari:heart", engine: "hibari", location: hibari.path,
                                       note: "default; American English, female; 24 kHz"))
        }
        for voice in locations.piperVoices {
            let name = voice.deletingPathExtension().lastPathComponent
            voices.append(VoiceListing(voice: "piper:\(name)", engine: "piper", location: voice.path, note: "Piper (VITS)"))
        }
        if let path = try? espeak.resolved() {
            voices.append(VoiceListing(voice: "espeak:en-us", engine: "espeak", location: path,
                                       note: "last resort; any `espeak-ng --voices` name works (espeak:en-gb, …)"))
        }
        return voices
    }
}
