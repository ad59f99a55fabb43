import AiShortsCore
import Foundation
import Testing

@Suite("Spec languages")
struct JobSpecLanguageTests {
    static let base = FileManager.default.temporaryDirectory

    static func parse(_ yaml: String) throws(SpecError) -> JobSpec {
        try JobSpec.parse(yaml: yaml, file: "spec.yaml", baseDirectory: base)
    }

    /// A catalog that finds no installed model: hibari and Piper absent, espeak-ng always there.
    static let bare = VoiceCatalog(locations: ModelLocations(roots: [FileManager.default.temporaryDirectory.appendingPathComponent("no-models-\(UUID().uuidString)")]))

    @Test func theLanguageIsReadFromYAMLAndDefaultsToAmericanEnglish() throws {
        let spec = try Self.parse("title: Formigas\nlanguage: pt-BR\nscenes: [Não é ação.]\n")
        #expect(spec.language.description == "pt-BR")
        #expect(try Self.parse("title: T\nscenes: [Hi.]\n").language == .english)
        #expect(try Self.parse("title: T\nlanguage: pt_br\nscenes: [Oi.]\n").language.description == "pt-BR")
    }

    @Test func theLanguageIsReadFromJSONToo() throws {
        let spec = try Self.parse(#"{"title": "蟻", "language": "ja", "scenes": [{"text": "今日は公園を散歩します。", "queries": ["ants"], "local_queries": ["アリ"]}]}"#)
        #expect(spec.language.description == "ja")
        #expect(spec.scenes[0].localQueries == ["アリ"])
    }

    @Test func aBadTagIsOneLineSayingWhatToWrite() throws {
        let error = try #require(throws: SpecError.self) { try Self.parse("title: T\nlanguage: portuguese\nscenes: [Oi.]\n") }
        #expect(error.code == .invalidValue)
        #expect(error.description == #"spec.yaml:2: language: "portuguese" is not a BCP 47 language tag; write a language and an optional region, such as pt-BR, es, ja or en-US"#)
        let long = try #require(throws: SpecError.self) { try Self.parse("title: T\nlanguage: \(String(repeating: "x", count: 4000))\nscenes: [Oi.]\n") }
        #expect(long.description.count < 250)
    }

    @Test func aSpecWithoutAVoiceGetsTheLanguagesDefault() throws {
        let spec = try Self.parse("title: T\nlanguage: pt-BR\nscenes: [Oi.]\n")
        #expect(spec.voice == nil)
        #expect(try spec.narrationVoice(in: Self.bare) == VoiceChoice(engine: "espeak", voice: "pt-br"))
        let japanese = try Self.parse("title: T\nlanguage: ja\nscenes: [今日は。]\n")
        #expect(try japanese.narrationVoice(in: Self.bare) == Self.bare.defaultChoice(for: japanese.language))
        let english = try Self.parse("title: T\nscenes: [Hi.]\n")
        #expect(try english.narrationVoice(in: Self.bare) == .default)
    }

    @Test func aVoiceOfAnotherLanguageIsAClearError() throws {
        let spec = try Self.parse("title: T\nlanguage: pt-BR\nvoice: hibari:heart\nscenes: [Oi.]\n")
        let error = try #require(throws: SpecError.self) { try spec.narrationVoice(in: Self.bare) }
        #expect(error.field == "voice")
        #expect(error.message == "hibari:heart speaks English, but the spec's language is pt-BR (Brazilian Portuguese); leave voice out for espeak:pt-br, or pick one from `aishorts voices --language pt`")
        // The same language in another region is fine; so is a voice whose language the catalog cannot tell.
        let european = try Self.parse("title: T\nlanguage: pt-BR\nvoice: espeak:pt\nscenes: [Oi.]\n")
        #expect(try european.narrationVoice(in: Self.bare) == VoiceChoice(engine: "espeak", voice: "pt"))
    }

    @Test func theLanguageAndLocalQueriesSurviveAYAMLRoundTrip() throws {
        var spec = JobSpec(title: "Formigas", language: try #require(LanguageTag("pt-BR")),
                           scenes: [Scene(text: "Não é ação.", queries: ["ants"], localQueries: ["formigas"])],
                           output: OutputSettings(path: URL(fileURLWithPath: "/tmp/f.mp4")))
        let again = try Self.parse(spec.yaml())
        #expect(again.language == spec.language && again.voice == nil)
        #expect(again.scenes == spec.scenes)
        spec.voice = VoiceChoice(engine: "espeak", voice: "pt-br")
        #expect(try Self.parse(spec.yaml()).voice == spec.voice)
        // An English spec's YAML does not change: no language line.
        spec.language = .english
        #expect(!spec.yaml().contains("language:"))
    }

    @Test func aRequestCarriesTheLanguageAndTheDeskChecksTheVoice() throws {
        let request = try JobRequest.parse(json: Data(#"{"script": "Não é ação.", "language": "pt-BR"}"#.utf8))
        #expect(request.language == "pt-BR")
        let bad = try #require(throws: JobError.self) { try JobRequest.parse(json: Data(#"{"script": "Oi.", "language": "xx-yy-zz"}"#.utf8)) }
        #expect(bad.field == "language")
        let long = try #require(throws: JobError.self) {
            try JobRequest.parse(json: Data(#"{"script": "Oi.", "language": "\#(String(repeating: "a", count: 100))"}"#.utf8))
        }
        #expect(long.field == "language")
        let paths = SpecPaths.local(base: Self.base)
        let spec = try request.resolve(specText: try #require(try request.initialSpec()), paths: paths, output: URL(fileURLWithPath: "/tmp/x.mp4"))
        #expect(spec.language.description == "pt-BR")
    }
}

extension JobSpecLanguageTests {
    @Test func aPiperVoiceThatIsNotInstalledIsLeftForTheNarratorToReport() throws {
        // "no-such-voice" would read as Norwegian ("no"); it is not installed, so its name proves nothing.
        let spec = try Self.parse("title: T\nvoice: piper:no-such-voice\nscenes: [Hi.]\n")
        #expect(try spec.narrationVoice(in: Self.bare) == VoiceChoice(engine: "piper", voice: "no-such-voice"))
    }
}
