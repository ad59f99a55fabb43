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
