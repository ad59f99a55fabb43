import AiShortsCore
import Foundation
import Testing

/// A source that finds nothing and remembers what it was asked.
private struct AskedSource: FootageSource {
    actor Log {
        var phrases: [String] = []
        func add(_ phrase: String) { phrases.append(phrase) }
    }

    let name: String
    let searchesLocalPhrases: Bool
    let log = Log()
    var isRemote: Bool { false }

    func search(_ query: FootageQuery) async throws -> [FootageClip] {
        await log.add(query.text)
        return []
    }

    func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws {
        throw FootageError(.downloadFailed, file: clip.key, message: "nothing to fetch")
    }

    func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection? {
        throw FootageError(.downloadFailed, file: clip.key, message: "nothing to fetch")
    }
}

@Suite("Footage phrases in the short's language")
struct FootageLocalQueriesTests {
    @Test func localPhrasesGoOnlyToSourcesThatTakeThem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let stock = AskedSource(name: "stock", searchesLocalPhrases: false)
        let video = AskedSource(name: "video", searchesLocalPhrases: true)
        let scenes = [Scene(text: "As formigas não comem as folhas.", queries: ["leafcutter ants"], localQueries: ["formigas cortadeiras"])]
        let stage = FootageStage(sources: [stock, video], scorer: MetadataScorer(), cache: FootageCache(disk: DiskCache(root: root)),
                                 probe: MediaProbe())
        _ = try await stage.gather(scenes, durations: [3])
        let toStock = await stock.log.phrases
        let toVideo = await video.log.phrases
        #expect(toStock.contains("leafcutter ants") && !toStock.contains("formigas cortadeiras"), "\(toStock)")
        #expect(toVideo.contains("leafcutter ants") && toVideo.contains("formigas cortadeiras"), "\(toVideo)")
    }

    @Test func onlyYouTubeTakesThemAmongTheBuiltInSources() async throws {
        let takes = try await FootageHTTP.withClient { http in
            let sources: [any FootageSource] = [
                PexelsSource(apiKey: "k", http: http), PixabaySource(apiKey: "k", http: http), YouTubeSource(http: http), LocalLibrary(folders: []),
            ]
            return sources.map(\.searchesLocalPhrases)
        }
        #expect(takes == [false, false, true, false])
    }
}
