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
    /// The languages it speaks, as BCP 47 tags (`ja`, `pt-BR`); empty when the voice's name does not say.
    public var languages: [String]

    /// Creates a listing.
    public init(voice: String, engine: String, location: String, note: String, languages: [String]) {
        self.voice = voice
        self.engine = engine
        self.location = location
        self.note = note
        self.languages = languages
    }

    /// The installed voices: hibari's, every Piper voice, every Kokoro voice, then espeak-ng (the last resort).
    ///
    /// With `language`, only the voices that speak it (same language, any region), and espeak-ng's voice
    /// for it: espeak-ng speaks every language it lists.
    public static func installed(_ locations: ModelLocations = .standard(), espeak: Tool = .espeak,
                                 language: LanguageTag? = nil) -> [VoiceListing] {
        let catalog = VoiceCatalog(espeak: espeak, locations: locations)
        func tags(_ engine: String, _ voice: String) -> [String] {
            catalog.language(of: VoiceChoice(engine: engine, voice: voice)).map { [$0.description] } ?? []
        }
        var voices: [VoiceListing] = []
        if let hibari = locations.hibari {
            voices.append(VoiceListing(voice: "hibari:heart", engine: "hibari", location: hibari.path,
                                       note: "default; American English, female; 24 kHz", languages: tags("hibari", "heart")))
        }
        for voice in locations.piperVoices {
            let name = voice.deletingPathExtension().lastPathComponent
            voices.append(VoiceListing(voice: "piper:\(name)", engine: "piper", location: voice.path, note: "Piper (VITS)",
                                       languages: tags("piper", name)))
        }
        if locations.kokoroModel != nil {
            for voice in locations.kokoroVoices {
                let speaks = voice.language.map { "\($0.englishName), " } ?? ""
                let gender = voice.name.dropFirst().first == "m" ? "male" : "female"
                voices.append(VoiceListing(voice: "kokoro:\(voice.name)", engine: "kokoro", location: voice.file.path,
                                           note: "Kokoro-82M; \(speaks)\(gender); 24 kHz", languages: tags("kokoro", voice.name)))
            }
        }
        if let language {
            voices = voices.filter { $0.languages.contains { LanguageTag($0)?.sameLanguage(as: language) == true } }
        }
        if let path = try? espeak.resolved() {
            let name = language?.espeakVoice ?? "en-us"
            voices.append(VoiceListing(voice: "espeak:\(name)", engine: "espeak", location: path,
                                       note: "last resort; any `espeak-ng --voices` name works (espeak:en-gb, …)",
                                       languages: tags("espeak", name)))
        }
        return voices
    }
}
