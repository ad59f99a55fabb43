@testable import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// A source that fails, fails once: a refused key disables the source for the job, a stalled or broken
/// URL is not asked again (in the job, nor for a while in later jobs), and the report says each kind of
/// failure once per source. Everything is asserted by counting requests and lines, never by time.
@Suite(.enabled(if: Fixtures.toolsAvailable && StubServer.available), .timeLimit(.minutes(3)))
struct FootageFailureTests {
    /// Three scenes of two phrases each: six searches per source in the first round.
    static let scenes = [
        Scene(text: "A rocket roars off the pad.", queries: ["rocket launch", "rocket engine"]),
        Scene(text: "Waves roll in from the sea.", queries: ["ocean waves", "sea shore"]),
        Scene(text: "Taxis crawl through the street.", queries: ["city traffic", "busy street"]),
    ]
    static let perHost = 4

    /// Runs the stage once; returns its outcome and the limit its client now gives the stub's host.
    static func run(
        _ stub: FootageStub, _ fixtures: Fixtures, key: String = "k", idle: Double = 15, pixabay: Bool = true
    ) async throws -> (outcome: FootageOutcome, hostLimit: Int) {
        let settings = FootageHTTP.Settings(perHostLimit: perHost, requestTimeout: 30, downloadTimeout: 60, idleTimeout: idle)
        return try await FootageHTTP.withClient(settings: settings, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 2)) { http in
            // The stub gives both sources the same media URLs; tests that count requests per URL use one.
            var sources: [any FootageSource] = [PexelsSource(apiKey: key, baseURL: stub.baseURL, http: http)]
            if pixabay { sources.append(PixabaySource(apiKey: key, baseURL: stub.baseURL, http: http)) }
            let stage = FootageStage(
                sources: sources,
                scorer: MetadataScorer(), cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))), probe: MediaProbe()
            )
            let outcome = try await stage.gather(Self.scenes, durations: Self.scenes.map { _ in 3 })
            return (outcome, await http.limiter.limit(for: FootageHTTP.authority(of: stub.baseURL)))
        }
    }

    @Test(arguments: [401, 403])
    func aRefusedKeyDisablesTheSourceAtOnceAndIsReportedOnce(status: Int) async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try await withFootageStub(FootageStubOptions(key: "right", refuseStatus: status)) { stub in
            let (outcome, limit) = try await Self.run(stub, fixtures, key: "wrong")
            #expect(limit == Self.perHost, "a refusal is not a stall")
            let stats = try await stub.stats()
            // Only requests already in flight when the first refusal came back: at most the host's limit.
            #expect((stats.kinds["pexels"] ?? 0) <= Self.perHost, "\(stats.kinds)")
            #expect((stats.kinds["pixabay"] ?? 0) <= Self.perHost, "\(stats.kinds)")
            #expect(stats.kinds["media"] == nil && stats.kinds["thumbs"] == nil)
            let problems = outcome.report.problems
            #expect(problems.filter { $0.hasPrefix("pexels:") }.count == 1, "\(problems)")
            #expect(problems.filter { $0.hasPrefix("pixabay:") }.count == 1, "\(problems)")
            let pexels = try #require(problems.first { $0.hasPrefix("pexels:") })
            #expect(pexels.contains("PEXELS_API_KEY") && pexels.contains("HTTP \(status)") && pexels.contains("skipped for the rest of the job"), "\(pexels)")
            #expect(pexels.contains("on \(stats.kinds["pexels"] ?? 0) request"), "the count is the requests sent: \(pexels)")
            #expect(problems.allSatisfy { !$0.contains("wrong") }, "a key leaked into a message")
            #expect(outcome.scenes.allSatisfy { $0.origin == "generated" })
        }
    }

    @Test func aStalledURLIsAskedOnceAndEachSceneNotesTheStallOnce() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // Media bodies stall for a minute: every download ends by the 1 s idle limit.
        try await withFootageStub(FootageStubOptions(key: "k", stallBody: 60)) { stub in
            let (outcome, limit) = try await Self.run(stub, fixtures, idle: 1, pixabay: false)
            let stats = try await stub.stats()
            let media = stats.paths.filter { $0.key.hasPrefix("/media/") }
            #expect(!media.isEmpty)
            #expect(media.values.allSatisfy { $0 == 1 }, "a stalled URL was asked again: \(media)")
            let problems = outcome.report.problems
            #expect(problems.filter { $0.contains("sent nothing") }.count == 1, "one line per source and kind: \(problems)")
            #expect(problems.contains { $0.contains("sent nothing") })
            for scene in outcome.scenes {
                let stalls = scene.note.components(separatedBy: "sent nothing").count - 1
                #expect(stalls <= 1, "one note per source and kind: \(scene.note)")
            }
            #expect(limit == 1, "after its first stall the host gets one request at a time")
        }
    }

    @Test func aResetConnectionIsNotFetchedAgainInTheJobNorByTheNextJob() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try await withFootageStub(FootageStubOptions(key: "k", reset: true)) { stub in
            let first = try await Self.run(stub, fixtures, pixabay: false).outcome
            let afterFirst = try await stub.stats()
            let media = afterFirst.paths.filter { $0.key.hasPrefix("/media/") }
            #expect(!media.isEmpty)
            // Retried within its one request (a reset may be transient), never asked again after.
            #expect(media.values.allSatisfy { $0 <= 3 }, "\(media)")
            #expect(first.report.problems.count == 1, "one line per source and kind: \(first.report.problems)")
            // A second job within the failure lifetime: searches from the cache, failed media not asked.
            let second = try await Self.run(stub, fixtures, pixabay: false).outcome
            let afterSecond = try await stub.stats()
            let again = afterSecond.paths.filter { afterFirst.paths[$0.key] != $0.value }
            #expect(afterSecond.total == afterFirst.total, "the second job asked again: \(again) (before: \(afterFirst.paths))")
            #expect(second.report.problems.contains { $0.contains("min ago") }, "\(second.report.problems)")
        }
    }

    @Test func problemsAreOneLinePerSourceAndKindWithACount() async {
        let problems = FootageProblems()
        let refused = FootageError(.unauthorized, file: "u", message: "api.pexels.com refused the API key (HTTP 401); set PEXELS_API_KEY to a valid key")
        for _ in 0..<3 { await problems.record(source: "pexels", error: refused) }
        var repeated = refused
        repeated.repeated = true
        await problems.record(source: "pexels", error: repeated)
        #expect(await problems.stops("pexels"))
        #expect(await !problems.stops("pixabay"))
        await problems.record(source: "pixabay", error: FootageError(.timeout, file: "a", message: "a sent nothing for 20 s"))
        await problems.record(source: "pixabay", error: FootageError(.timeout, file: "b", message: "b sent nothing for 20 s"))
        let lines = await problems.lines
        #expect(lines == [
            "pexels: api.pexels.com refused the API key (HTTP 401); set PEXELS_API_KEY to a valid key — on 3 requests; the source was skipped for the rest of the job (2 more not sent)",
            "pixabay: a sent nothing for 20 s — on 2 requests",
        ])
    }

    @Test func theClientRemembersRefusedKeysAndFailedURLs() async {
        let health = RemoteHealth()
        let refused = FootageError(.unauthorized, file: "u", message: "refused")
        #expect(await health.record(refused, url: "http://h/search?q=a", host: "h", keyHint: "PEXELS_API_KEY") == false)
        #expect(await health.verdict(for: "http://h/search?q=b", keyHint: "PEXELS_API_KEY")?.repeated == true, "another URL with the same key")
        #expect(await health.verdict(for: "http://h/search?q=b", keyHint: "PIXABAY_API_KEY") == nil, "another key goes on")
        let stall = FootageError(.timeout, file: "m", message: "sent nothing")
        #expect(await health.record(stall, url: "http://m/1.mp4", host: "m", keyHint: nil), "a first stall limits the host")
        #expect(await health.record(stall, url: "http://m/2.mp4", host: "m", keyHint: nil) == false, "only once")
        #expect(await health.verdict(for: "http://m/1.mp4", keyHint: nil)?.code == .timeout)
        #expect(await health.verdict(for: "http://m/3.mp4", keyHint: nil) == nil)
        #expect(await health.skippedRequests == 2)
        #expect(await health.refused == ["PEXELS_API_KEY"])
        #expect(await health.stalled == ["m"])
    }
}
