import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// Retries fast enough for tests, with the same shape as the default policy.
let quickRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 3)

/// Runs `body` with a footage stub, one footage client on it, and both stock sources pointing at it.
func withStockSources<T: Sendable>(
    _ options: FootageStubOptions = FootageStubOptions(), key: String = "test-key",
    settings: FootageHTTP.Settings = FootageHTTP.Settings(requestTimeout: 30, downloadTimeout: 60, idleTimeout: 15),
    retry: RetryPolicy = quickRetry, counter: RequestCounter? = nil,
    _ body: (FootageStub, PexelsSource, PixabaySource) async throws -> T
) async throws -> T {
    try await withFootageStub(options) { stub in
        try await FootageHTTP.withClient(settings: settings, retry: retry, counter: counter) { http in
            try await body(
                stub,
                PexelsSource(apiKey: key, baseURL: stub.baseURL, http: http),
                PixabaySource(apiKey: key, baseURL: stub.baseURL, http: http)
            )
        }
    }
}

/// A temporary folder for downloads, removed by `remove()`.
struct DownloadFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-footage-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: url) }
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }
}

@Suite("Pexels and Pixabay sources", .enabled(if: StubServer.available), .timeLimit(.minutes(2)))
struct StockFootageSourceTests {
    let portrait = FootageQuery(text: "rocket", count: 5, frameWidth: 1080, frameHeight: 1920)

    @Test func pexelsSearchParsesAndChoosesThePortraitMP4ClosestToTheFrame() async throws {
        try await withStockSources(FootageStubOptions(key: "test-key")) { (stub, pexels, _) async throws in
            let clips = try await pexels.search(portrait)
            try #require(clips.count == 1, "the stub filters orientation=portrait: only the portrait rocket")
            let clip = clips[0]
            #expect(clip.source == "pexels" && clip.id == "1001" && clip.kind == .video)
            #expect(clip.text == "a rocket launching at night")
            #expect(clip.media.path == "/media/1001-1080x1920.mp4", "not the webm of the same size, not 1440x2560 or 4K")
            #expect(clip.width == 1080 && clip.height == 1920 && clip.isPortrait)
            #expect(clip.thumbnails.map(\.path) == ["/thumbs/1001.jpg", "/thumbs/1001-0.jpg", "/thumbs/1001-1.jpg"])
            #expect(clip.duration == 3 && clip.author == "Author 1001")
            #expect(clip.pageURL?.absoluteString == "https://www.pexels.com/video/a-rocket-launching-at-night-1001/")
            #expect(try await stub.stats().kinds["pexels"] == 1)
        }
    }

    @Test func pixabayPutsPortraitFirstAndSkipsMissingRenditions() async throws {
        try await withStockSources(FootageStubOptions(key: "test-key")) { (_, _, pixabay) async throws in
            let clips = try await pixabay.search(FootageQuery(text: "rocket night", count: 3))
            #expect(clips.map(\.id) == ["1001", "1002", "1004"])
            let first = try #require(clips.first)
            #expect(first.media.path == "/media/1001-1080x1920.mp4" && first.isPortrait)
            #expect(first.text == "rocket launching night" && first.author == "maker1001")
            #expect(first.thumbnails.first?.path == "/thumbs/1001.jpg")
            #expect(clips[1].media.path == "/media/1002-1920x1080.mp4", "a landscape clip still gets its full-HD rendition")
            // Pixabay answers the landscape 1002 before the portrait 1003; the source swaps them.
            #expect(try await pixabay.search(FootageQuery(text: "smoke ocean", count: 3)).map(\.id) == ["1003", "1002"])

            // 1005's large rendition is listed with an empty URL: the closest real one is 720x1280.
            let forest = try await pixabay.search(FootageQuery(text: "forest", count: 3))
            #expect(forest.map(\.media.path) == ["/media/1005-720x1280.mp4"])
        }
    }

    @Test func thumbnailsAndMediaDownloadToFilesThatDecode() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withStockSources { (_, pexels, pixabay) async throws in
            let clip = try #require(try await pexels.search(portrait).first)
            try await pexels.fetchThumbnail(of: clip, to: folder.file("thumb.jpg"))
            #expect(try await pexels.fetchMedia(of: clip, section: ClipSection(start: 0, end: 1), to: folder.file("clip.mp4")) == nil)
            let other = try #require(try await pixabay.search(FootageQuery(text: "ocean", count: 3)).first)
            _ = try await pixabay.fetchMedia(of: other, section: nil, to: folder.file("ocean.mp4"))
        }
        let probe = MediaProbe()
        guard case .readable(let thumb) = try await probe.probe(folder.file("thumb.jpg")), case .readable(let video) = try await probe.probe(folder.file("clip.mp4")),
            case .readable(let ocean) = try await probe.probe(folder.file("ocean.mp4"))
        else {
            Issue.record("a download does not decode")
            return
        }
        #expect(thumb.kind == .still && video.kind == .video && ocean.kind == .video)
        #expect(video.width == 360 && video.height == 640)
        #expect(Set(folder.contents) == ["thumb.jpg", "clip.mp4", "ocean.mp4"], "no temporary files are left")
    }

    @Test func emptyResultsAreAnEmptyAnswer() async throws {
        try await withStockSources(FootageStubOptions(empty: true)) { (_, pexels, pixabay) async throws in
            #expect(try await pexels.search(portrait).isEmpty)
            #expect(try await pixabay.search(portrait).isEmpty)
        }
    }

    @Test func aRefusedKeyIsUnauthorizedAndNamesTheVariableButNeverTheKey() async throws {
        try await withStockSources(FootageStubOptions(key: "right-key"), key: "wrong-key") { (stub, pexels, pixabay) async throws in
            let pexelsError = await #expect(throws: FootageError.self) { try await pexels.search(portrait) }
            #expect(pexelsError?.code == .unauthorized)
            #expect(pexelsError?.message.contains("PEXELS_API_KEY") == true)
            let pixabayError = await #expect(throws: FootageError.self) { try await pixabay.search(portrait) }
            #expect(pixabayError?.code == .unauthorized)
            #expect(pixabayError?.message.contains("PIXABAY_API_KEY") == true)
            for error in [pexelsError, pixabayError].compactMap({ $0 }) {
                #expect(!error.message.contains("wrong-key") && !error.file.contains("wrong-key"), "\(error.file): \(error.message)")
            }
            #expect(try await stub.stats().total == 2, "401 is not retried")
        }
    }

    @Test func aMissingKeyIsNotConfiguredWithoutARequest() async throws {
        try await withStockSources(key: "") { (stub, pexels, pixabay) async throws in
            let pexelsError = await #expect(throws: FootageError.self) { try await pexels.search(portrait) }
            let pixabayError = await #expect(throws: FootageError.self) { try await pixabay.search(portrait) }
            #expect(pexelsError?.code == .notConfigured && pixabayError?.code == .notConfigured)
            #expect(try await stub.stats().total == 0)
        }
    }

    @Test func pexelsTextIsThePageSlugWithoutItsId() {
        let page = URL(string: "https://www.pexels.com/video/a-rocket-launching-at-night-123/")!
        #expect(PexelsSource.words(fromPage: page) == "a rocket launching at night")
        #expect(PexelsSource.words(fromPage: URL(string: "https://www.pexels.com/video/7/")!) == "")
    }

    @Test func theVariantChooserPrefersOrientationThenTheSmallestThatCoversTheFrame() {
        func variant(_ width: Int, _ height: Int) -> VariantChooser.Variant {
            VariantChooser.Variant(url: URL(string: "https://x/\(width)x\(height).mp4")!, width: width, height: height)
        }
        let all = [variant(3840, 2160), variant(2160, 3840), variant(1440, 2560), variant(1080, 1920), variant(720, 1280), variant(0, 0)]
        let portrait = FootageQuery(text: "", frameWidth: 1080, frameHeight: 1920)
        let landscape = FootageQuery(text: "", frameWidth: 1920, frameHeight: 1080)
        #expect(VariantChooser.closest(all, to: portrait) == variant(1080, 1920))
        #expect(VariantChooser.closest(all, to: landscape) == variant(3840, 2160), "the only landscape one")
        #expect(VariantChooser.closest([variant(540, 960), variant(720, 1280), variant(1920, 1080)], to: portrait) == variant(720, 1280),
                "none covers the frame: the largest portrait one")
        #expect(VariantChooser.closest([variant(0, 0)], to: portrait) == variant(0, 0))
        #expect(VariantChooser.closest([], to: portrait) == nil)
    }
}
