import AiShortsCore
import Foundation

/// Two-second spoken samples of the installed voices, for the studio's voice picker.
///
/// A sample is spoken once per voice and kept in memory (about 90 KB each; the set of voices is the
/// installed ones, so the cache is bounded). One sample is made at a time: a second request for a
/// voice being spoken waits for that one instead of starting another narrator.
actor VoiceSamples {
    /// The sentence a voice says, in its language (English for a voice whose language is not known here).
    static func sentence(for language: LanguageTag?) -> String {
        switch language?.language {
        case "ja": "こんにちは！ショート動画では、こんな声で話します。"
        case "pt": "Olá! É assim que eu soo no seu vídeo curto."
        case "es": "¡Hola! Así sueno en tu video corto."
        case "fr": "Bonjour ! Voici ma voix dans votre courte vidéo."
        case "it": "Ciao! Ecco come suono nel tuo video breve."
        case "de": "Hallo! So klinge ich in deinem kurzen Video."
        default: "Hello! This is how I sound in your short."
        }
    }
    /// The longest sample sent, in seconds.
    static let seconds = 2.0

    let voices: VoiceCatalog
    private var made: [String: Data] = [:]
    private var speaking: [String: Task<Data, any Error>] = [:]

    init(voices: VoiceCatalog) {
        self.voices = voices
    }

    /// The sample of `voice` (`engine:voice`, one of the installed voices) as a WAV file.
    /// - Throws: ``JobError`` `notFound` for a voice that is not installed; ``VoiceError`` when the
    ///   narrator fails.
    func sample(_ voice: String) async throws -> Data {
        let installed = VoiceListing.installed(voices.locations, espeak: voices.espeak).map(\.voice)
        guard installed.contains(voice) else {
            throw JobError(.notFound, "no installed voice \"\(voice.prefix(80))\"; GET /api/v1/voices lists them")
        }
        if let data = made[voice] { return data }
        if let task = speaking[voice] { return try await task.value }
        let choice = try VoiceChoice.parse(voice)
        let catalog = voices
        let task = Task { try await Self.speak(choice, catalog: catalog) }
        speaking[voice] = task
        defer { speaking[voice] = nil }
        let data = try await task.value
        made[voice] = data
        return data
    }

    /// Speaks the sentence into a temporary file and cuts it to ``seconds``.
    private static func speak(_ choice: VoiceChoice, catalog: VoiceCatalog) async throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-voice-sample-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let narration = try await catalog.narrator(for: choice).narrate(sentence(for: catalog.language(of: choice)), to: folder.appendingPathComponent("sample.wav"))
        var audio = try WAVAudio(contentsOf: narration.audio)
        let limit = Int(seconds * Double(audio.sampleRate))
        if audio.samples.count > limit { audio.samples.removeLast(audio.samples.count - limit) }
        return audio.data
    }
}
