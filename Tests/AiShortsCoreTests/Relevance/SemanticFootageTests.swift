@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// The footage stage against the loopback Pexels/Pixabay stub, on clips described as stock sites
/// describe them (`--catalogue paraphrase`): with the semantic scorer each scene gets the clip that
/// means what it says, not the decoy that shares a word with its search phrase, and the report names
/// the scorer, the chosen clip's score and the runner-up; with any scorer, a clip that the single-word
/// fallback search finds by one incidental word does not win a scene.
// One at a time: each runs the model or a whole job, and side by side they starve the cooperative
// pool of a 2-core machine, so other suites' time limits run out.
@Suite(.serialized, .enabled(if: Fixtures.toolsAvailable && StubServer.available)) struct SemanticFootageTests {
    /// The relevance set's first three scenes (`Tests/Data/relevance.json`), phrases as the script
    /// writer gives them. Alone, "rush hour in the city" ranks "quiet city park with fountains at noon"
    /// above "aerial view of a traffic jam" with this model (cosine 0.45 against 0.24): the second
    /// phrase a script gives the scene is what lets meaning win there.
    static let scenes = [
        Scene(text: "Leafcutter ants don't eat the leaves they carry: they farm a fungus on them, deep underground.", queries: ["ants that farm fungus"]),
        Scene(text: "Every evening at rush hour the city's main roads turn into parking lots.", queries: ["rush hour in the city", "traffic jam"]),
        Scene(text: "A surfer drops into a giant wave off the coast of Portugal.", queries: ["big wave surfing", "ocean waves"]),
    ]

    /// Runs the stage over `scenes` against the paraphrase catalogue.
    static func gather(_ scenes: [Scene], scorer: any RelevanceScorer, fixtures: Fixtures) async throws -> FootageOutcome {
        try await withFootageStub(FootageStubOptions(key: "k", catalogue: "paraphrase")) { stub in
            let settings = FootageHTTP.Settings(requestTimeout: 10, downloadTimeout: 20, idleTimeout: 5)
            return try await FootageHTTP.withClient(settings: settings, counter: RequestCounter()) { http in
                let stage = FootageStage(
                    sources: [PexelsSource(apiKey: "k", baseURL: stub.baseURL, http: http), PixabaySource(apiKey: "k", baseURL: stub.baseURL, http: http)],
                    scorer: scorer, cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe()
                )
                return try await stage.gather(scenes, durations: scenes.map { _ in 3 })
            }
        }
    }

    @Test func scenesDescribedInOtherWordsGetTheRightClips() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let scorer = SemanticScorer(model: try SemanticScorerTests.model(), models: ModelManager(), cache: EmbeddingCache(disk: nil))
        let outcome = try await Self.gather(Self.scenes, scorer: scorer, fixtures: fixtures)
        #expect(outcome.report.scorer == "semantic (all-MiniLM-L6-v2)")
        for (scene, wanted) in zip(outcome.scenes, [3001, 3011, 3021]) {
            let note = scene.note
            #expect(note.hasPrefix("semantic (all-MiniLM-L6-v2): "), "\(note)")
            #expect(note.contains(":\(wanted) (score"), "scene \(scene.scene) shows clip \(wanted): \(note)")
            #expect(note.contains("runner-up "), "\(note)")
            #expect(!note.contains("broader search"), "\(note)")
            #expect(scene.origin != "generated", "\(note)")
        }
    }

    /// Nothing answers "mole digging"; the broader round searches the scene's single words, and
    /// "underground" finds a parking garage. Against that one word the garage fits perfectly; against
    /// the scene it does not, so the scene gets a generated background rather than the garage.
    @Test(arguments: ["metadata", "semantic"])
    func aClipSharingOneIncidentalWordDoesNotWinAScene(scorer name: String) async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let scorer: any RelevanceScorer = name == "metadata"
            ? MetadataScorer()
            : SemanticScorer(model: try SemanticScorerTests.model(), models: ModelManager(), cache: EmbeddingCache(disk: nil))
        let mole = Scene(text: "Moles dig their tunnels deep underground.", queries: ["mole digging"])
        #expect(FootageStage.broaderPhrases(for: mole).contains("underground"))
        let outcome = try await Self.gather([mole], scorer: scorer, fixtures: fixtures)
        #expect(outcome.report.candidates > 0, "the broader search found the garage")
        #expect(outcome.scenes[0].origin == "generated", "\(outcome.scenes[0].note)")
        #expect(!outcome.scenes[0].note.contains("3031 (score"), "\(outcome.scenes[0].note)")
    }

    /// The bootstrap's model folder with its `model.onnx` missing or replaced by garbage: the job
    /// prints one note saying so, the metadata scorer ranks the footage, and the video is made.
    @Test(arguments: ["missing", "corrupt"])
    func aBrokenModelCostsOneNoteAndMetadataFinishesTheJob(model state: String) async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = fixtures.url("models/embedding/all-MiniLM-L6-v2")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SemanticScorerTests.folder.appendingPathComponent("vocab.txt"), to: folder.appendingPathComponent("vocab.txt"))
        if state == "corrupt" { try Data(repeating: 7, count: 4096).write(to: folder.appendingPathComponent("model.onnx")) }
        let spec = try fixtures.spec("""
            title: Broken model
            voice: espeak:en-us
            footage: { sources: [pexels, pixabay] }
            scenes:
              - text: Waves roll onto the beach at sunset.
                queries: [ocean waves]
            output: { path: out/broken.mp4, preset: ultrafast }
            """)
        try await withFootageStub(FootageStubOptions(key: "k")) { stub in
            var pipeline = fixtures.pipeline()
            pipeline.voices = VoiceCatalog(locations: ModelLocations(roots: [fixtures.url("models")]))
            pipeline.footage = FootageConfiguration(pexelsKey: "k", pixabayKey: "k", pexelsURL: stub.baseURL, pixabayURL: stub.baseURL)
            let log = EventLog()
            let report = try await pipeline.run(Job(spec: spec)) { await log.append($0) }
            #expect(FileManager.default.fileExists(atPath: fixtures.url("out/broken.mp4").path))
            #expect(report.footage?.scorer == "metadata")
            let notes = await log.notes.filter { $0.contains("sentence-embedding") }
            #expect(notes.count == 1 && notes.allSatisfy { !$0.contains("\n") && $0.contains("metadata") }, "\(notes)")
            #expect(report.scenes[0].footage != "generated", "\(report.scenes[0])")
        }
    }
}
