import Foundation
import Testing

@testable import AiShortsCore

/// The SQLite media index: a library is hashed once, later runs read only what changed, and CLIP
/// embeddings of library files come from the database without reading the files or running a model.
@Suite("MediaIndex", .enabled(if: Fixtures.toolsAvailable))
struct MediaIndexTests {
    /// A library of a red and a blue still, and a green video with a sidecar tag file.
    func library(_ fixtures: Fixtures) async throws -> URL {
        let folder = fixtures.url("library")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("more"), withIntermediateDirectories: true)
        for (name, colour) in [("red-sunset.png", "red"), ("more/blue-ocean.png", "blue")] {
            try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=\(colour):s=160x120", "-frames:v", "1", folder.appendingPathComponent(name).path])
        }
        try await fixtures.ffmpeg([
            "-f", "lavfi", "-i", "color=green:s=160x120:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", folder.appendingPathComponent("clip0042.mp4").path,
        ])
        try "forest, trees".write(to: folder.appendingPathComponent("clip0042.tags"), atomically: true, encoding: .utf8)
        try "not media".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    /// The footage stage over `library` alone, ranked by the tiny CLIP model.
    func clipStage(_ library: LocalLibrary, model: ClipModel, models: ModelManager = ModelManager(), cache: DiskCache,
                   index: MediaIndex?, digests: FileDigests) -> FootageStage {
        FootageStage(
            sources: [library],
            scorer: ClipScorer(model: model, models: models, cache: EmbeddingCache(disk: cache, index: index, digests: digests),
                               threshold: 0.5, threads: 1),
            cache: FootageCache(disk: cache),
            probe: MediaProbe(cache: cache)
        )
    }

    @Test("files are hashed on the first refresh only; a new process learns their hashes from the index")
    func hashedOnce() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let index = try MediaIndex(path: fixtures.url("cache/index.sqlite"))

        let firstDigests = FileDigests()
        let first = try await index.refreshLibrary(folders: [folder], digests: firstDigests)
        #expect(first.files.map(\.lastPathComponent) == ["clip0042.mp4", "blue-ocean.png", "red-sunset.png"])
        #expect((first.added, first.changed, first.unchanged, first.removed) == (3, 0, 0, 0))
        #expect(await firstDigests.hashedFiles == 3)
        #expect(try await index.counts().files == 3)

        // A later run: a fresh memo, and the index opened again from its file.
        let reopened = try MediaIndex(path: fixtures.url("cache/index.sqlite"))
        let digests = FileDigests()
        let second = try await reopened.refreshLibrary(folders: [folder], digests: digests)
        #expect((second.added, second.changed, second.unchanged, second.removed) == (0, 0, 3, 0))
        for file in second.files {
            #expect(try await digests.sha256(of: file) == FileDigests.hash(file))
        }
        #expect(await digests.hashedFiles == 0, "no file was read: the index knew them all")
    }

    @Test("a changed file is hashed again, a removed one leaves the index, a new one is added")
    func followsChanges() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let index = try MediaIndex(path: fixtures.url("index.sqlite"))
        _ = try await index.refreshLibrary(folders: [folder], digests: FileDigests())

        let red = folder.appendingPathComponent("red-sunset.png")
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=orange:s=200x100", "-frames:v", "1", red.path])
        try FileManager.default.removeItem(at: folder.appendingPathComponent("more/blue-ocean.png"))
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=white:s=160x120", "-frames:v", "1", folder.appendingPathComponent("snow.jpg").path])

        let digests = FileDigests()
        let scan = try await index.refreshLibrary(folders: [folder], digests: digests)
        #expect((scan.added, scan.changed, scan.unchanged, scan.removed) == (1, 1, 1, 1))
        #expect(scan.files.map(\.lastPathComponent) == ["clip0042.mp4", "red-sunset.png", "snow.jpg"])
        #expect(await digests.hashedFiles == 2)
        #expect(try await index.counts().files == 3)
        let again = try await index.refreshLibrary(folders: [folder], digests: FileDigests())
        #expect(again.unchanged == 3 && again.hashed == 0)
    }

    @Test("folders are indexed separately: refreshing one keeps the other's rows")
    func foldersAreIndependent() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let index = try MediaIndex(path: fixtures.url("index.sqlite"))
        _ = try await index.refreshLibrary(folders: [folder], digests: FileDigests())
        let more = try await index.refreshLibrary(folders: [folder.appendingPathComponent("more")], digests: FileDigests())
        #expect((more.files.count, more.unchanged, more.removed) == (1, 1, 0))
        #expect(try await index.counts().files == 3)
    }

    @Test("two jobs refreshing the same library at once through separate connections both succeed")
    func concurrentRefreshes() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let path = fixtures.url("index.sqlite")
        let (one, two) = (try MediaIndex(path: path), try MediaIndex(path: path))
        async let first = one.refreshLibrary(folders: [folder], digests: FileDigests())
        async let second = two.refreshLibrary(folders: [folder], digests: FileDigests())
        let scans = try await [first, second]
        #expect(scans.allSatisfy { $0.files.count == 3 })
        #expect(try await one.counts().files == 3)
    }

    @Test("a file that is not a database is a one-line error naming it and what to do")
    func corruptIndex() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.garbage("index.sqlite")
        let error = #expect(throws: FootageError.self) { _ = try MediaIndex(path: path) }
        #expect(error?.code == .indexUnavailable)
        #expect(error?.description.contains(path.path) == true)
        #expect(error?.description.contains("delete that file") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("indexing with CLIP embeds each file once; a later run finds every embedding in the database")
    func embeddingsLiveInTheIndex() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let folder = try await library(fixtures)
        let cache = DiskCache(root: fixtures.url("cache"))
        let index = try MediaIndex(in: cache)
        let locations = ModelLocations(roots: [])

        let first = try await LibraryIndexer(index: index, digests: FileDigests())
            .index(folders: [folder], clip: model.folder.path, locations: locations, models: ModelManager(), cache: cache)
        #expect(first.scorer == "clip (\(model.folder.lastPathComponent))")
        #expect((first.embedded, first.alreadyEmbedded, first.undecodable) == (3, 0, 0))
        #expect(try await index.counts().embeddings == 3)
        #expect(!FileManager.default.fileExists(atPath: cache.root.appendingPathComponent(EmbeddingCache.namespace).path),
                "with an index, no embedding is written as a file")

        let digests = FileDigests()
        let models = ModelManager()
        let second = try await LibraryIndexer(index: try MediaIndex(in: cache), digests: digests)
            .index(folders: [folder], clip: model.folder.path, locations: locations, models: models, cache: cache)
        #expect((second.embedded, second.alreadyEmbedded) == (0, 3))
        #expect(await digests.hashedFiles == 0)
        #expect(await models.usageReport().isEmpty, "the vision model was not loaded")

        // The footage stage then ranks the library by its pictures from the database: "green" finds the
        // video whose name says nothing about it.
        let (library, scan) = try await LocalLibrary.indexed(folders: [folder], index: index, digests: digests)
        #expect(scan.hashed == 0)
        let stage = clipStage(library, model: model, models: models, cache: cache, index: index, digests: digests)
        let outcome = try await stage.gather([Scene(text: "A green picture.", queries: ["green picture"])], durations: [2])
        #expect(outcome.scenes[0].visuals.first?.label == "video clip0042.mp4", "\(outcome.scenes[0].note)")
        #expect(await digests.hashedFiles == 0)
    }

    @Test("with CLIP a job considers every file already embedded, and embeds at most its quota of new ones")
    func embeddedFilesAreFreeNewOnesCapped() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let folder = fixtures.url("plain")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Names that say nothing; the red one comes last in path order.
        for (name, colour) in [("aaa.png", "green"), ("bbb.png", "blue"), ("ccc.png", "red")] {
            try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=\(colour):s=160x120", "-frames:v", "1", folder.appendingPathComponent(name).path])
        }
        let cache = DiskCache(root: fixtures.url("cache"))
        let index = try MediaIndex(in: cache)
        func pick() async throws -> (String?, Int) {
            let digests = FileDigests()
            let (library, _) = try await LocalLibrary.indexed(folders: [folder], index: index, digests: digests)
            var stage = clipStage(library, model: model, cache: cache, index: index, digests: digests)
            stage.tuning.newLibraryPictures = 1
            let outcome = try await stage.gather([Scene(text: "A red picture.", queries: ["red picture"])], durations: [2])
            return (outcome.scenes[0].visuals.first?.label, outcome.report.candidates)
        }
        // Nothing embedded yet: only the first file in path order may be embedded, and it is green.
        let (before, candidatesBefore) = try await pick()
        #expect(candidatesBefore == 1)
        #expect(before?.contains("ccc") != true, "\(before ?? "nothing")")
        // `aishorts library` embeds them all; then every file is a candidate and the red one wins.
        _ = try await LibraryIndexer(index: index, digests: FileDigests())
            .index(folders: [folder], clip: model.folder.path, locations: ModelLocations(roots: []), models: ModelManager(), cache: cache)
        let (after, candidatesAfter) = try await pick()
        #expect(candidatesAfter == 3)
        #expect(after == "still ccc.png")
    }

    @Test("without an index, a job with CLIP reads only the library files it embeds")
    func withoutIndexOnlyTheQuotaIsRead() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let folder = try await library(fixtures)
        let cache = DiskCache(root: fixtures.url("cache"))
        let digests = FileDigests()
        var stage = clipStage(LocalLibrary(folders: [folder]), model: model, cache: cache, index: nil, digests: digests)
        stage.tuning.newLibraryPictures = 1
        let outcome = try await stage.gather([Scene(text: "Quarks.", queries: ["quarks"])], durations: [2])
        #expect(outcome.report.candidates == 1)
        #expect(await digests.hashedFiles == 1, "only the one file embedded was read")
    }

    @Test("without CLIP the indexer reads nothing (names and tags need no hash) and says why")
    func metadataOnly() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let cache = DiskCache(root: fixtures.url("cache"))
        let index = try MediaIndex(in: cache)
        let digests = FileDigests()
        let result = try await LibraryIndexer(index: index, digests: digests)
            .index(folders: [folder], clip: nil, locations: ModelLocations(roots: []), models: ModelManager(), cache: cache)
        #expect(result.scorer == nil && result.embedded == 0)
        #expect(result.note?.contains("no CLIP model installed") == true)
        #expect(result.scan.files.count == 3 && result.scan.hashed == 0)
        #expect(await digests.hashedFiles == 0)
        #expect(try await index.counts().files == 0)
    }

    @Test("a job with CLIP indexes its library; the next job reads no library file and embeds nothing")
    func jobsShareTheIndex() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        _ = try await library(fixtures)
        let spec = try fixtures.spec("""
            title: Library
            voice: espeak:en-us
            library: library
            footage: { sources: [library], clip: \(model.folder.path) }
            scenes:
              - text: Something green.
                queries: [green]
            output: { path: out/library.mp4, preset: ultrafast }
            """)
        let first = try await fixtures.pipeline().run(Job(spec: spec))
        #expect(first.footage?.library == LibraryIndexCount(files: 3, hashed: 3, unchanged: 0, removed: 0))
        #expect(first.scenes[0].visuals == ["video clip0042.mp4"], "CLIP saw the green video: \(first.scenes[0])")
        // A new process: its own hash memo and model manager, the same cache folder.
        let second = try await fixtures.pipeline().run(Job(spec: spec))
        #expect(second.footage?.library == LibraryIndexCount(files: 3, hashed: 0, unchanged: 3, removed: 0))
        #expect(second.caches["image embeddings"]?.misses == 0)
        #expect(second.scenes[0].visuals == first.scenes[0].visuals)
    }
}
