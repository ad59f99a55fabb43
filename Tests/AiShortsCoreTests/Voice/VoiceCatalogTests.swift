@testable import AiShortsCore
import Foundation
import Testing

@Suite("VoiceCatalog")
struct VoiceCatalogTests {
    static let installed = ModelLocations(roots: [Fixtures.packageRoot.appendingPathComponent(".deps/models")])
    static let empty = ModelLocations(roots: [URL(fileURLWithPath: "/nonexistent/models")])

    @Test("engines map to their narrators; the spec's default is hibari")
    func engines() throws {
        let catalog = VoiceCatalog(locations: Self.installed)
        #expect(VoiceChoice.default.description == "hibari:heart")
        #expect(try catalog.narrator(for: .default) is HibariNarrator)
        #expect(try catalog.narrator(for: VoiceChoice(engine: "piper", voice: "en_US-joe-medium")) is PiperNarrator)
        #expect(try catalog.narrator(for: VoiceChoice(engine: "espeak", voice: "en-gb")).label == "espeak:en-gb")
    }

    @Test("without hibari, the default voice falls back to espeak-ng and says why; a named voice does not")
    func fallback() throws {
        let catalog = VoiceCatalog(locations: Self.empty)
        let narrator = try catalog.narrator(for: .default)
        #expect(narrator.label == "espeak:en-us (hibari is not installed (run `make bootstrap`))")
        #expect(narrator.cacheKey.hasPrefix("espeak:en-us"))
        #expect(Self.failure(catalog, VoiceChoice(engine: "hibari", voice: "emma"))?.code == .engineMissing)
        let unknown = Self.failure(catalog, VoiceChoice(engine: "piper", voice: "nobody"))
        #expect(unknown?.code == .unknownVoice)
        #expect(unknown?.message == "no Piper voice \"nobody\"; installed: none (a path to NAME.onnx with NAME.onnx.json also works)")
    }

    /// The error the catalog gives for `choice`, or nil when it gives a narrator.
    static func failure(_ catalog: VoiceCatalog, _ choice: VoiceChoice) -> VoiceError? {
        do {
            _ = try catalog.narrator(for: choice)
            return nil
        } catch {
            return error
        }
    }

    @Test("models are looked for in AISHORTS_MODELS, the user's data folder, then the checkout")
    func locations() {
        let standard = ModelLocations.standard(environment: ["AISHORTS_MODELS": "/a:/b", "XDG_DATA_HOME": "/data"],
                                               executable: Fixtures.packageRoot.appendingPathComponent(".build/debug/aishorts"))
        #expect(standard.roots.map(\.path) == ["/a", "/b", "/data/aishorts/models", Fixtures.packageRoot.appendingPathComponent(".deps/models").path])
    }
}
