import AiShortsCore
import Foundation
import Testing

/// A temp library folder with empty media files and sidecars, removed when the value is dropped.
private final class LibraryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-library-\(UUID().uuidString)")

    init() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: url.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let files: [String: String] = [
            "rocket-launch.mp4": "",
            "cat.jpg": "",
            "ocean.mp4": "",
            "ocean.mp4.tags": "waves, beach",
            "sub/Rocket_Model.PNG": "",
            "sub/glass.mov": "",
            "the-with-band.mp4": "",
            "rocket-notes.txt": "",
            ".rocket-hidden.mp4": "",
            "desert.jpg": "",
            "desert.tags": "sand\ndunes camel",
        ]
        for (name, contents) in files {
            #expect(fileManager.createFile(atPath: url.appendingPathComponent(name).path, contents: Data(contents.utf8)))
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name).standardizedFileURL }
}

@Suite struct LocalLibraryTests {
    private func names(_ candidates: [FootageCandidate]) -> [String] { candidates.map(\.url.lastPathComponent) }

    private func request(_ text: String, _ queries: [String] = []) -> FootageRequest {
        FootageRequest(scene: 0, text: text, queries: queries)
    }

    @Test func indexesMediaFilesRecursivelyAndSkipsOthers() throws {
        let folder = try LibraryFolder()
        let urls = LocalLibrary.mediaFiles(in: folder.url)
        let files = urls.map(\.lastPathComponent)
        #expect(Set(files) == ["rocket-launch.mp4", "cat.jpg", "ocean.mp4", "Rocket_Model.PNG", "glass.mov", "the-with-band.mp4", "desert.jpg"])
        #expect(files.count == 7)
        #expect(urls.map(\.path) == urls.map(\.path).sorted())
        #expect(urls.contains(folder.file("sub/glass.mov")))
        #expect(LocalLibrary.mediaFiles(in: folder.file("cat.jpg")) == [folder.file("cat.jpg")])
        #expect(LocalLibrary.mediaFiles(in: folder.file("no-such-folder")).isEmpty)
    }

    @Test func ranksByOverlap() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        let found = try await library.candidates(for: request("Watch the rocket launch from the pad"))
        #expect(names(found) == ["rocket-launch.mp4", "Rocket_Model.PNG"])
        #expect(found.map(\.score) == [2, 1])
        #expect(found[0].url == folder.file("rocket-launch.mp4"))
        #expect(found[0].reason.contains("launch") && found[0].reason.contains("rocket"))
    }

    @Test func queryWordsCountDouble() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        // The cat and the ocean match the narration once each; "glass" matches a query, so it scores 2.
        let found = try await library.candidates(for: request("A cat by the ocean", ["glass"]))
        #expect(names(found) == ["glass.mov", "cat.jpg", "ocean.mp4"])
        #expect(found.map(\.score) == [2, 1, 1])
    }

    @Test func aWordInBothQueryAndTextCountsOnlyAsAQueryWord() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        let found = try await library.candidates(for: request("my cat", ["cat"]))
        #expect(names(found) == ["cat.jpg"])
        #expect(found.first?.score == 2)
    }

    @Test func sidecarTagsMatch() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        let found = try await library.candidates(for: request("Waves crash on the beach"))
        #expect(names(found) == ["ocean.mp4"])
        #expect(found.first?.score == 2)
        // A sidecar named without the media extension works too, and its words may be on several lines.
        let desert = try await library.candidates(for: request("", ["camel", "dunes"]))
        #expect(names(desert) == ["desert.jpg"])
        #expect(desert.first?.score == 4)
    }

    @Test func stopWordsAndShortWordsAreIgnored() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        #expect(try await library.candidates(for: request("the with", ["the", "with"])).isEmpty)
        let band = try await library.candidates(for: request("the band"))
        #expect(names(band) == ["the-with-band.mp4"])
        #expect(band.first?.score == 1)
    }

    @Test func pluralsMatchAndMatchingIgnoresCase() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        let found = try await library.candidates(for: request("ROCKETS everywhere"))
        // Equal scores are ordered by path: the top-level file before the one in sub/.
        #expect(names(found) == ["rocket-launch.mp4", "Rocket_Model.PNG"])
        #expect(found.map(\.score) == [1, 1])
        // "waves" in the sidecar finds "wave"; "glass" keeps its double s.
        #expect(names(try await library.candidates(for: request("a single wave")))  == ["ocean.mp4"])
        #expect(names(try await library.candidates(for: request("glasses of glass"))) == ["glass.mov"])
    }

    @Test func noMatchGivesNoCandidates() async throws {
        let folder = try LibraryFolder()
        let library = LocalLibrary(folders: [folder.url])
        #expect(try await library.candidates(for: request("Quantum entanglement explained", ["physics"])).isEmpty)
        #expect(try await library.candidates(for: request("")).isEmpty)
        // Hidden and non-media files are never offered.
        let rocket = try await library.candidates(for: request("rocket notes hidden"))
        #expect(!names(rocket).contains("rocket-notes.txt"))
        #expect(!names(rocket).contains(".rocket-hidden.mp4"))
    }

    @Test func anEmptyOrMissingLibraryOffersNothing() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-nolib-\(UUID().uuidString)")
        let library = LocalLibrary(folders: [missing])
        #expect(try await library.candidates(for: request("rocket")).isEmpty)
        #expect(library.name == "library")
    }
}
