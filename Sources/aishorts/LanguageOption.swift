import AiShortsCore
import ArgumentParser
import Foundation

/// `--language TAG`: the language a short is written, spoken and captioned in.
struct LanguageOption: ParsableArguments {
    @Option(help: "The short's language as a BCP 47 tag, e.g. pt-BR, es, ja (default en-US, or the spec's).")
    var language: String?

    func validate() throws {
        _ = try tag()
    }

    /// The tag given, or nil when the option is absent.
    /// - Throws: `ValidationError` saying what to write, for text that is not a tag.
    func tag() throws -> LanguageTag? {
        guard let language else { return nil }
        do {
            return try LanguageTag.parse(language)
        } catch {
            throw ValidationError("--language: \(error.message)")
        }
    }

    /// Refuses a `voice` that speaks another language than `language`, before any work starts.
    /// - Throws: `ValidationError` naming both languages and what to do.
    static func check(voice: VoiceChoice?, language: LanguageTag, catalog: VoiceCatalog) throws {
        let probe = JobSpec(title: "check", language: language, voice: voice, scenes: [Scene(text: "check")],
                            output: OutputSettings(path: URL(fileURLWithPath: "/check.mp4")))
        do {
            _ = try probe.narrationVoice(in: catalog)
        } catch {
            throw ValidationError("--voice: \(error.message)")
        }
    }
}
