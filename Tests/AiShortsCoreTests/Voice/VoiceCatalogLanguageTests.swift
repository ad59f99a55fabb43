@testable import AiShortsCore
import Foundation
import Testing

/// Which language each voice speaks, which voice a language gets, and the listing by language.
@Suite("VoiceCatalog languages")
struct VoiceCatalogLanguageTests {
    static let deps = Fixtures.packageRoot.appendingPathComponent(".deps/models")

    /// A models root with a Brazilian Portuguese Kokoro voice (jf_alpha's styles under another name)
    /// and, when `piper` is set, a Piper voice's two files (names only: nothing loads them here).
    static func userRoot(_ fixtures: Fixtures, piper: Bool) throws -> URL {
        let root = fixtures.url("models")
        let kokoro = root.appendingPathComponent("kokoro")
        try FileManager.default.createDirectory(at: kokoro, withIntermediateDirectories: true)
        let pack = deps.appendingPathComponent("kokoro/voices_ja.npz")
        try #require(FileManager.default.fileExists(atPath: pack.path), "the Kokoro voices are not installed: run `make bootstrap`")
        let styles = try KokoroVoice(name: "jf_alpha", file: pack).styles()
        try styles.values.withUnsafeBytes { Data($0) }.write(to: kokoro.appendingPathComponent("pf_test.bin"))
        if piper {
            let folder = root.appendingPathComponent("piper")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: folder.appendingPathComponent("pt_BR-faber-medium.onnx"))
            try Data("{}".utf8).write(to: folder.appendingPathComponent("pt_BR-faber-medium.onnx.json"))
        }
        return root
    }

    @Test("each engine's voices say their language", arguments: [
        ("hibari", "heart", "en-US"), ("piper", "pt_BR-faber-medium", "pt-BR"), ("piper", "/voices/es_MX-ald-medium.onnx", "es-MX"),
        ("kokoro", "jf_alpha", "ja"), ("kokoro", "pf_dora", "pt-BR"), ("kokoro", "zf_xiaobei", "zh-CN"), ("kokoro", "bm_george", "en-GB"),
        ("espeak", "pt-br", "pt-BR"), ("espeak", "cmn", "zh-CN"),
    ])
    func languages(_ engine: String, _ voice: String, _ tag: String) {
        #expect(VoiceCatalog(locations: ModelLocations(roots: [])).language(of: VoiceChoice(engine: engine, voice: voice))?.description == tag)
    }

    @Test("unknown engines and Kokoro names without a language letter have none")
    func noLanguage() {
        let catalog = VoiceCatalog(locations: ModelLocations(roots: []))
        #expect(catalog.language(of: VoiceChoice(engine: "kokoro", voice: "xx_nobody")) == nil)
        #expect(catalog.language(of: VoiceChoice(engine: "other", voice: "x")) == nil)
    }

    @Test("Japanese gets Kokoro's jf_alpha when installed, espeak-ng's ja otherwise; English keeps hibari")
    func defaults() throws {
        let installed = VoiceCatalog(locations: ModelLocations(roots: [Self.deps]))
        try #require(installed.locations.kokoroModel != nil, "the Kokoro model is not installed: run `make bootstrap`")
        #expect(installed.defaultChoice(for: try #require(LanguageTag("ja"))).description == "kokoro:jf_alpha")
        #expect(installed.defaultChoice(for: .english) == .default)
        #expect(installed.defaultChoice(for: try #require(LanguageTag("pt-BR"))).description == "espeak:pt-br")
        let empty = VoiceCatalog(locations: ModelLocations(roots: [URL(fileURLWithPath: "/nonexistent/models")]))
        #expect(empty.defaultChoice(for: try #require(LanguageTag("ja"))).description == "espeak:ja")
        #expect(try installed.narrator(for: VoiceChoice(engine: "kokoro", voice: "jm_kumo")).label == "kokoro:jm_kumo")
    }

    @Test("a user's voices: a Piper voice of the language first, then a Kokoro voice, then espeak-ng")
    func userVoices() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let portuguese = try #require(LanguageTag("pt-BR"))
        let kokoroOnly = VoiceCatalog(locations: ModelLocations(roots: [try Self.userRoot(fixtures, piper: false), Self.deps]))
        #expect(kokoroOnly.defaultChoice(for: portuguese).description == "kokoro:pf_test")
        #expect(kokoroOnly.defaultChoice(for: try #require(LanguageTag("pt"))).description == "kokoro:pf_test")
        let both = VoiceCatalog(locations: ModelLocations(roots: [try Self.userRoot(fixtures, piper: true), Self.deps]))
        #expect(both.defaultChoice(for: portuguese).description == "piper:pt_BR-faber-medium")

        let listed = VoiceListing.installed(both.locations, language: try #require(LanguageTag("pt")))
        #expect(listed.map(\.voice) == ["piper:pt_BR-faber-medium", "kokoro:pf_test", "espeak:pt-br"])
        #expect(listed.allSatisfy { $0.languages == ["pt-BR"] })
        let japanese = VoiceListing.installed(both.locations, language: try #require(LanguageTag("ja")))
        #expect(japanese.map(\.voice) == ["kokoro:jf_alpha", "kokoro:jf_gongitsune", "kokoro:jf_nezumi", "kokoro:jf_tebukuro", "kokoro:jm_kumo", "espeak:ja"])
        #expect(VoiceListing.installed(both.locations).contains { $0.voice == "hibari:heart" && $0.languages == ["en-US"] })
    }

    @Test("missing Kokoro model or voice: errors that say what is installed and what to do")
    func missing() throws {
        let empty = VoiceCatalog(locations: ModelLocations(roots: [URL(fileURLWithPath: "/nonexistent/models")]))
        #expect(VoiceCatalogTests.failure(empty, VoiceChoice(engine: "kokoro", voice: "jf_alpha"))?.code == .engineMissing)
        let installed = VoiceCatalog(locations: ModelLocations(roots: [Self.deps]))
        try #require(installed.locations.kokoroModel != nil, "the Kokoro model is not installed: run `make bootstrap`")
        let unknown = try #require(VoiceCatalogTests.failure(installed, VoiceChoice(engine: "kokoro", voice: "pf_dora")))
        #expect(unknown.code == .unknownVoice)
        #expect(unknown.message.contains("installed: jf_alpha, jf_gongitsune"))
        #expect(unknown.message.contains("aishorts models add kokoro"))
        #expect(try VoiceChoice.parse("kokoro").description == "kokoro:jf_alpha")
    }
}
