@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// The footage stage against the loopback Pexels/Pixabay stub: parallel search, ranking before
/// download, the caches (a second run makes no request), and the fallbacks when a source fails.
@Suite(.enabled(if: Fixtures.toolsAvailable && StubServer.available)) struct FootageStageRemoteTests {
    static let scenes = [
        Scene(text: "A rocket roars off the pad.", queries: ["rocket launch"]),
        Scene(text: "Waves roll in from the sea.", queries: ["ocean waves"]),
        Scene(text: "Taxis crawl through the street.", queries: ["city traffic"]),
        Scene(text: "Quarks hide inside every proton.", queries: ["quantum chromodynamics"]),
    ]

    /// Runs the stage against `stub` with a cache in `fixtures`; returns its outcome and the requests it made.
    static func run(
        _ stub: FootageStub, _ fixtures: Fixtures, scorer: any RelevanceScorer = MetadataScorer(), key: String = "k",
        library: URL? = nil, scenes: [Scene] = scenes, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 2)
    ) async throws -> (outcome: FootageOutcome, requests: Int) {
        let counter = RequestCounter()
        let settings = FootageHTTP.Settings(requestTimeout: 30, downloadTimeout: 60, idleTimeout: 15)
        return try await FootageHTTP.withClient(settings: settings, retry: retry, counter: counter) { http in
            var sources: [any FootageSource] = [
                PexelsSource(apiKey: key, baseURL: stub.baseURL, http: http),
                PixabaySource(apiKey: key, baseURL: stub.baseURL, http: http),
            ]
            if let library { sources.append(LocalLibrary(folders: [library])) }
            let stage = FootageStage(
                sources: sources, scorer: scorer, cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))),
                probe: MediaProbe(), requests: counter
            )
            let outcome = try await stage.gather(scenes, durations: scenes.map { _ in 3 })
            return (outcome, await counter.total)
        }
    }

    static func files(_ outcome: FootageOutcome) -> [URL] {
        outcome.scenes.flatMap(\.visuals).compactMap { visual in
            switch visual {
            case .video(let url, _), .still(let url): url
            case .generated: nil
            }
        }
    }

    @Test func scenesGetRelevantClipsOnceAndASecondRunMakesNoRequest() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try await withFootageStub(FootageStubOptions(key: "k")) { stub in
            let first = try await Self.run(stub, fixtures)
            let outcome = first.outcome
            #expect(["pexels", "pixabay", "pexels+pixabay", "pixabay+pexels"].contains(outcome.scenes[0].origin), "\(outcome.scenes[0])")
            #expect(outcome.scenes[0].note.contains("100"), "the rocket scene shows a rocket clip (ids 1001/1002): \(outcome.scenes[0].note)")
            #expect(outcome.scenes[1].note.contains(":1003"), "\(outcome.scenes[1].note)")
            #expect(outcome.scenes[2].note.contains(":1004"), "\(outcome.scenes[2].note)")
            #expect(outcome.scenes[3].origin == "generated")
            let used = Self.files(outcome)
            #expect(Set(used).count == used.count)
            for file in used { #expect(FileManager.default.fileExists(atPath: file.path)) }
            #expect(first.requests > 0)
            #expect(outcome.report.searches.misses > 0 && outcome.report.searches.hits == 0)
            #expect(outcome.report.downloads.misses > 0)
            #expect(outcome.report.problems.isEmpty, "\(outcome.report.problems)")

            let before = try await stub.stats().total
            let second = try await Self.run(stub, fixtures)
            #expect(second.requests == 0)
            #expect(try await stub.stats().total == before, "the stub saw requests on the cached run")
            #expect(second.outcome.scenes == outcome.scenes, "a cached run chooses the same footage")
            #expect(second.outcome.report.searches.misses == 0 && second.outcome.report.downloads.misses == 0)
            #expect(second.outcome.report.requestCount == 0)
        }
    }

    @Test func aRefusedKeyIsReportedAndTheJobFallsBack() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let library = fixtures.url("library")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        _ = try await fixtures.clip("library/rocket-launch.mp4", seconds: 3, size: "360x640")
        try await withFootageStub(FootageStubOptions(key: "right")) { stub in
            let (outcome, _) = try await Self.run(stub, fixtures, key: "wrong", library: library)
            #expect(outcome.report.problems.contains { $0.contains("PEXELS_API_KEY") }, "\(outcome.report.problems)")
            #expect(outcome.report.problems.contains { $0.contains("PIXABAY_API_KEY") }, "\(outcome.report.problems)")
            #expect(outcome.report.problems.allSatisfy { !$0.contains("wrong") }, "a key leaked into a message")
            #expect(outcome.scenes[0].origin == "library")
            #expect(outcome.scenes[1].origin == "generated")
        }
    }

    @Test func rateLimitsAndServerErrorsAreRetriedAndBrokenDownloadsSkipped() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try await withFootageStub(FootageStubOptions(key: "k", rateLimit: 2, retryAfter: "0")) { stub in
            let (outcome, _) = try await Self.run(stub, fixtures, scenes: [Self.scenes[1]])
            #expect(outcome.scenes[0].note.contains(":1003"), "\(outcome.scenes[0].note)")
        }
        try await withFootageStub(FootageStubOptions(key: "k", truncate: true)) { stub in
            let (outcome, _) = try await Self.run(stub, fixtures, scenes: [Self.scenes[2]])
            // Searches still answer; every media download is cut short, so nothing can be shown.
            #expect(outcome.scenes[0].origin == "generated")
            #expect(outcome.report.problems.contains { $0.contains("truncat") || $0.contains("ended") }, "\(outcome.report.problems)")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.url("cache/footage-tmp").path)) ?? []
            #expect(leftovers.isEmpty, "temporary downloads left behind: \(leftovers)")
        }
    }

    @Test func aSlowHostTimesOutAndTheJobStillFinishes() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // The host answers after 60 s: only the 1 s limits can end the stage with a generated background.
        try await withFootageStub(FootageStubOptions(key: "k", stall: 60)) { stub in
            let counter = RequestCounter()
            let settings = FootageHTTP.Settings(requestTimeout: 1, downloadTimeout: 2, idleTimeout: 1)
            let outcome = try await FootageHTTP.withClient(settings: settings, retry: RetryPolicy(maxAttempts: 1), counter: counter) { http in
                let stage = FootageStage(
                    sources: [PexelsSource(apiKey: "k", baseURL: stub.baseURL, http: http)], scorer: MetadataScorer(),
                    cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe(), requests: counter
                )
                return try await stage.gather([Self.scenes[0]], durations: [3])
            }
            #expect(outcome.scenes[0].origin == "generated")
            #expect(!outcome.report.problems.isEmpty)
        }
    }
}

/// A spec with queries and no media renders end to end from the loopback stock sources.
@Suite(.enabled(if: Fixtures.toolsAvailable && StubServer.available)) struct FootagePipelineTests {
    @Test func aSpecWithOnlyQueriesRendersFromTheStockSources() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let spec = try fixtures.spec("""
            title: Stock footage
            voice: espeak:en-us
            footage: { sources: [pexels, pixabay] }
            scenes:
              - text: A rocket lifts off at night.
                queries: [rocket launch]
              - text: Waves roll onto the beach at sunset.
                queries: [ocean waves]
            output: { path: out/stock.mp4, preset: ultrafast }
            """)
        try await withFootageStub(FootageStubOptions(key: "k")) { stub in
            var pipeline = fixtures.pipeline()
            pipeline.footage = FootageConfiguration(pexelsKey: "k", pixabayKey: "k", pexelsURL: stub.baseURL, pixabayURL: stub.baseURL)
            let report = try await pipeline.run(Job(spec: spec))
            #expect(FileManager.default.fileExists(atPath: fixtures.url("out/stock.mp4").path))
            #expect(report.video.width == 1080 && report.video.height == 1920)
            for scene in report.scenes {
                #expect(scene.footage.contains("pexels") || scene.footage.contains("pixabay"), "\(scene)")
            }
            let footage = try #require(report.footage)
            // No CLIP model: the semantic scorer when `make bootstrap` installed its model, else metadata with a note.
            #expect(footage.scorer == "semantic (all-MiniLM-L6-v2)" || footage.scorerNote?.contains("aishorts models add") == true)
            #expect(footage.requestCount > 0 && footage.downloads.misses > 0)

            // The same job again: everything from the cache, not one request.
            let before = try await stub.stats().total
            let again = try await pipeline.run(Job(spec: spec))
            #expect(again.footage?.requestCount == 0)
            #expect(try await stub.stats().total == before)
            #expect(again.scenes.map(\.visuals) == report.scenes.map(\.visuals))
        }
    }
}
