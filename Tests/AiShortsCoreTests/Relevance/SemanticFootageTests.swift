@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// The footage stage with the semantic scorer against the loopback Pexels/Pixabay stub, on clips
/// described in other words than the scenes (`--catalogue paraphrase`): each scene gets the clip that
/// means what it says, not the decoy that shares a word with its search phrase; the report names the
/// scorer, the chosen clip's score and the runner-up.
@Suite(.enabled(if: Fixtures.toolsAvailable && StubServer.available)) struct SemanticFootageTests {
    static let scenes = [
        Scene(text: "Leafcutter ants don't eat the leaves they carry: they farm a fungus on them, deep underground.", queries: ["ants that farm fungus"]),
        Scene(text: "Every evening at rush hour the main roads turn into parking lots.", queries: ["rush hour in the city"]),
        Scene(text: "A surfer drops into a giant wave off the coast.", queries: ["ocean waves"]),
    ]

    // Not passing yet: through the stub, the ants and traffic scenes end below the threshold or on the
    // decoy (the stub's Pixabay tags are a clip's last three words; the cause is not yet found).
    @Test(.disabled("end-to-end paraphrase run not passing yet; see the issue 14 report"))
    func scenesDescribedInOtherWordsGetTheRightClips() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let scorer = SemanticScorer(model: try SemanticScorerTests.model(), models: ModelManager(), cache: EmbeddingCache(disk: nil))
        try await withFootageStub(FootageStubOptions(key: "k", catalogue: "paraphrase")) { stub in
            let settings = FootageHTTP.Settings(requestTimeout: 10, downloadTimeout: 20, idleTimeout: 5)
            let outcome = try await FootageHTTP.withClient(settings: settings, counter: RequestCounter()) { http in
                let stage = FootageStage(
                    sources: [PexelsSource(apiKey: "k", baseURL: stub.baseURL, http: http), PixabaySource(apiKey: "k", baseURL: stub.baseURL, http: http)],
                    scorer: scorer, cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe()
                )
                return try await stage.gather(Self.scenes, durations: Self.scenes.map { _ in 3 })
            }
            #expect(outcome.report.scorer == "semantic (all-MiniLM-L6-v2)")
            for (scene, wanted) in zip(outcome.scenes, [3001, 3011, 3021]) {
                let note = scene.note
                #expect(note.hasPrefix("semantic (all-MiniLM-L6-v2): "), "\(note)")
                #expect(note.contains(":\(wanted) (score"), "scene \(scene.scene) shows clip \(wanted): \(note)")
                #expect(note.contains("runner-up "), "\(note)")
                #expect(scene.origin != "generated", "\(note)")
            }
        }
    }
}
