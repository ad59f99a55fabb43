import Foundation
import Testing

@testable import AiShortsCore

@Suite("RelevanceSelection")
struct RelevanceSelectionTests {
    @Test("without a CLIP model the metadata scorer is used and the note says so; a missing name is one clear line")
    func fallsBackToMetadata() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let locations = ModelLocations(roots: [fixtures.url("models")])
        let selection = try RelevanceSelection.choose(clip: nil, locations: locations, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(selection.scorer.name == "metadata")
        #expect(selection.note?.contains("no CLIP model installed") == true)
        #expect {
            _ = try RelevanceSelection.choose(clip: "vit-b-32", locations: locations, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        } throws: { error in
            let error = error as? RelevanceError
            return error?.code == .modelMissing && error?.description.contains("aishorts models add clip") == true
        }
    }

    @Test("an installed CLIP model is found by name, and used when none is named")
    func findsInstalledClip() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let root = fixtures.url("models")
        let installed = try ClipInstaller.install(from: try await TinyClip.shared().folder, name: "tiny", into: root)
        #expect(installed.folder.path.hasSuffix("models/clip/tiny"))
        let locations = ModelLocations(roots: [root])
        #expect(locations.installedModels.map(\.family) == ["clip"] && locations.installedModels[0].bytes > 100_000)
        for name in ["tiny", nil] {
            let selection = try RelevanceSelection.choose(clip: name, locations: locations, models: ModelManager(), cache: EmbeddingCache(disk: nil))
            #expect(selection.scorer.name == "clip (tiny)" && selection.note == nil)
        }
    }
}

// MARK: - The sentence-embedding model

extension RelevanceSelectionTests {
    /// A models root with `embedding/all-MiniLM-L6-v2/` holding the real vocabulary and `model` as its graph.
    func embeddingRoot(_ fixtures: Fixtures, model: Data?, name: String = "models") throws -> URL {
        let root = fixtures.url(name)
        let folder = root.appendingPathComponent("embedding/all-MiniLM-L6-v2")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: BertTokenizerTests.folder.appendingPathComponent("vocab.txt"),
                                         to: folder.appendingPathComponent("vocab.txt"))
        if let model { try model.write(to: folder.appendingPathComponent("model.onnx")) }
        return root
    }

    @Test("the installed sentence-embedding model makes the semantic scorer the default, and it loads")
    func semanticByDefault() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let real = try Data(contentsOf: BertTokenizerTests.folder.appendingPathComponent("model.onnx"))
        let locations = ModelLocations(roots: [try embeddingRoot(fixtures, model: real)])
        #expect(locations.installedModels.map(\.family) == ["embedding"])
        let selection = try RelevanceSelection.choose(clip: nil, locations: locations, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(selection.scorer.name == "semantic (all-MiniLM-L6-v2)" && selection.note == nil && selection.warning == nil)
        let checked = await selection.checked()
        #expect(checked.scorer.name == "semantic (all-MiniLM-L6-v2)" && checked.warning == nil)
        let configured = try RelevanceSelection.choose(clip: "metadata", locations: locations, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(configured.scorer.name == "metadata")
    }

    @Test("a missing or corrupt model file: one warning line, and the metadata scorer takes over")
    func brokenModelFallsBack() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let missing = ModelLocations(roots: [try embeddingRoot(fixtures, model: nil)])
        let withoutFile = try RelevanceSelection.choose(clip: nil, locations: missing, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(withoutFile.scorer.name == "metadata")
        #expect(withoutFile.warning?.contains("model.onnx") == true && withoutFile.warning?.contains("\n") == false)

        let corrupt = ModelLocations(roots: [try embeddingRoot(fixtures, model: Data(repeating: 7, count: 4096), name: "corrupt")])
        let chosen = try RelevanceSelection.choose(clip: nil, locations: corrupt, models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(chosen.scorer.name == "semantic (all-MiniLM-L6-v2)")
        let checked = await chosen.checked()
        #expect(checked.scorer.name == "metadata")
        #expect(checked.warning?.contains("cannot be used") == true && checked.warning?.contains("\n") == false, "\(checked.warning ?? "")")
    }

    @Test("with CLIP installed too, both score together and library indexing still gets the CLIP scorer")
    func combinesWithClip() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let real = try Data(contentsOf: BertTokenizerTests.folder.appendingPathComponent("model.onnx"))
        let root = try embeddingRoot(fixtures, model: real)
        _ = try ClipInstaller.install(from: try await TinyClip.shared().folder, name: "tiny", into: root)
        let selection = try RelevanceSelection.choose(clip: nil, locations: ModelLocations(roots: [root]), models: ModelManager(), cache: EmbeddingCache(disk: nil))
        #expect(selection.scorer.name == "clip (tiny) + semantic (all-MiniLM-L6-v2)" && selection.scorer.judgesPictures)
        #expect(selection.clipScorer?.name == "clip (tiny)")
        let combined = try #require(selection.scorer as? CombinedScorer)
        #expect(combined.combine(semantic: 0.7, clip: -1) == 0.7)
        #expect(abs(combined.combine(semantic: -1, clip: combined.clip.threshold) - combined.threshold) < 1e-9)
        #expect(combined.combine(semantic: -1, clip: -1) == -1)
    }
}
