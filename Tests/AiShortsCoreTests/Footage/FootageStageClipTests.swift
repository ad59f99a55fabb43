@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// The footage stage with a CLIP scorer (the tiny test export, which sees colours) and sections of a
/// long video through yt-dlp: thumbnails decide what is downloaded, frames are re-scored, and two
/// scenes never share a stretch of one video.
@Suite(.enabled(if: Fixtures.toolsAvailable && StubServer.available)) struct FootageStageClipTests {
    /// Clip ids (`2010`) named in a scene note.
    private func ids(_ note: String) -> [Int] {
        note.matches(of: /:(\d{4}) \(/).compactMap { Int($0.output.1) }
    }

    @Test func thumbnailsDecideWhatIsDownloadedAndDecoysAreNot() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let models = ModelManager()
        let scorer = ClipScorer(model: model, models: models, cache: EmbeddingCache(disk: DiskCache(root: fixtures.url("cache"))), threshold: 0.5, threads: 1)
        // Each topic has two clips of its colour and two grey decoys with the same words.
        let scenes = [
            Scene(text: "Fire and smoke.", queries: ["red rocket launch"]),
            Scene(text: "Water everywhere.", queries: ["blue ocean waves"]),
            Scene(text: "Under the canopy.", queries: ["green forest trees"]),
        ]
        try await withFootageStub(FootageStubOptions(key: "k", catalogue: "bench")) { stub in
            let counter = RequestCounter()
            let settings = FootageHTTP.Settings(requestTimeout: 30, downloadTimeout: 60, idleTimeout: 15)
            let outcome = try await FootageHTTP.withClient(settings: settings, counter: counter) { http in
                let stage = FootageStage(
                    sources: [PexelsSource(apiKey: "k", baseURL: stub.baseURL, http: http), PixabaySource(apiKey: "k", baseURL: stub.baseURL, http: http)],
                    scorer: scorer, cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe(), requests: counter
                )
                return try await stage.gather(scenes, durations: [3, 3, 3])
            }
            for (index, topic) in [200, 201, 202].enumerated() {
                let chosen = ids(outcome.scenes[index].note)
                #expect(chosen.count == 1, "\(outcome.scenes[index].note)")
                // ids 20t0 and 20t1 show the topic's colour; 20t2 and 20t3 are grey.
                #expect(chosen.allSatisfy { $0 / 10 == topic && $0 % 10 < 2 }, "scene \(index): \(outcome.scenes[index].note)")
            }
            #expect(outcome.report.scorer.hasPrefix("clip"))
            #expect(outcome.report.thumbnails.misses >= 12)
            #expect(outcome.report.downloadsAvoided >= 6, "\(outcome.report)")
            let media = try await stub.stats().kinds["media"] ?? 0
            #expect(media <= 6, "only the best two per scene are downloaded, got \(media)")
        }
    }

    @Test func twoScenesGetDifferentSectionsOfOneLongVideo() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let scenes = [
            Scene(text: "A test pattern.", queries: ["test pattern"]),
            Scene(text: "The same pattern later.", queries: ["test pattern"]),
        ]
        try await withFootageStub { stub in
            let outcome = try await FootageHTTP.withClient { http in
                let youtube = YouTubeSource(http: http, interval: 0.2, searchTarget: { _ in stub.watchURL("pattern").absoluteString })
                var tuning = FootageStage.Tuning()
                tuning.sectionableSeconds = 10
                let stage = FootageStage(
                    sources: [youtube], scorer: MetadataScorer(threshold: 0.1),
                    cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe(), tuning: tuning
                )
                return try await stage.gather(scenes, durations: [3, 3])
            }
            var sections: [ClipSection] = []
            for scene in outcome.scenes {
                #expect(scene.origin == "youtube", "\(scene.note)")
                guard case .video(_, let duration) = scene.visuals.first else {
                    Issue.record("scene \(scene.scene) has no video: \(scene.note)")
                    continue
                }
                #expect(duration < 8, "a section, not the 20 s video: \(duration) s")
                let numbers = scene.note.matches(of: /(\d+\.\d)–(\d+\.\d) s/).map { (Double($0.output.1)!, Double($0.output.2)!) }
                if let (start, end) = numbers.first { sections.append(ClipSection(start: start, end: end)) }
            }
            #expect(sections.count == 2)
            if sections.count == 2 { #expect(!sections[0].overlaps(sections[1]), "\(sections)") }
        }
    }
}
