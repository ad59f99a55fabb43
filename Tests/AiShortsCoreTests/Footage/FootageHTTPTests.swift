import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

@Suite("Footage HTTP: retries, timeouts, limits, pacing", .enabled(if: StubServer.available), .timeLimit(.minutes(2)))
struct FootageHTTPTests {
    let query = FootageQuery(text: "rocket", count: 5)

    // Upper bounds on wall time are never asserted here: a busy machine stalls processes for seconds.
    // Stalls last far longer than the limits under test, so only the limits can produce the outcomes.

    @Test func a429WithRetryAfterOneIsRetriedAndSucceeds() async throws {
        try await withFootageStub(FootageStubOptions(rateLimit: 1, retryAfter: "1")) { stub in
            // The retry waits on a manual clock: the test decides when the second's wait is over.
            let clock = ManualClock()
            try await FootageHTTP.withClient(retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 3), clock: ErasedClock(clock)) { http in
                let pexels = PexelsSource(apiKey: "k", baseURL: stub.baseURL, http: http)
                let search = Task { try await pexels.search(query) }
                try await clock.waitForSleepers(1)
                #expect(try await stub.stats().kinds["pexels"] == 1)
                clock.advance(by: .milliseconds(999))
                #expect(clock.sleeperCount == 1, "Retry-After: 1 is honoured, not cut short")
                clock.advance(by: .milliseconds(1))
                #expect(try await search.value.count == 1)
                #expect(try await stub.stats().kinds["pexels"] == 2)
            }
        }
    }

    @Test func a429AskingLongerThanTheCapFailsQuicklyAsRateLimited() async throws {
        try await withStockSources(FootageStubOptions(rateLimit: 5, retryAfter: "120")) { (stub, _, pixabay) async throws in
            let error = await #expect(throws: FootageError.self) { try await pixabay.search(query) }
            #expect(error?.code == .rateLimited)
            #expect(error?.message.contains("120 s") == true, "\(error?.message ?? "")")
            // Had it waited the 120 s, it would have asked again (and the suite's 2 min limit would end it).
            #expect(try await stub.stats().total == 1)
        }
    }

    @Test func serverErrorsTwiceThenOKSucceeds() async throws {
        try await withStockSources(FootageStubOptions(fail: 2)) { (stub, pexels, _) async throws in
            #expect(try await pexels.search(query).count == 1)
            #expect(try await stub.stats().kinds["pexels"] == 3)
        }
    }

    @Test func serverErrorsThatNeverStopAreAServerError() async throws {
        try await withStockSources(FootageStubOptions(fail: -1)) { (stub, _, pixabay) async throws in
            let error = await #expect(throws: FootageError.self) { try await pixabay.search(query) }
            #expect(error?.code == .serverError)
            #expect(error?.message.contains("HTTP 500") == true)
            #expect(try await stub.stats().total == quickRetry.maxAttempts)
        }
    }

    @Test func aTruncatedDownloadIsTruncatedAndLeavesNoFile() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withStockSources { (stub, pexels, _) async throws in
            let clip = try #require(try await pexels.search(FootageQuery(text: "rocket")).first)
            try await stub.update(FootageStubOptions(truncate: true))
            let error = await #expect(throws: FootageError.self) {
                try await pexels.fetchMedia(of: clip, section: nil, to: folder.file("clip.mp4"))
            }
            #expect(error?.code == .truncated, "\(String(describing: error))")
        }
        #expect(folder.contents.isEmpty, "neither the destination nor a temporary file is left")
    }

    @Test func aStalledHostTimesOutWithinTheLimit() async throws {
        let settings = FootageHTTP.Settings(requestTimeout: 1, downloadTimeout: 10, idleTimeout: 0.6)
        // The host answers after 60 s: only the 1 s limit can make this a timeout (the outcome, not a stopwatch).
        try await withStockSources(FootageStubOptions(stall: 60), settings: settings) { (stub, pexels, _) async throws in
            let error = await #expect(throws: FootageError.self) { try await pexels.search(query) }
            #expect(error?.code == .timeout, "\(String(describing: error))")
            #expect(try await stub.stats().total == 1, "a timeout is not retried")
        }
    }

    @Test func aDownloadThatStallsMidwayTimesOutAndLeavesNoFile() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        // The search runs with the everyday limits (a busy machine can take over 0.5 s to answer it);
        // only the download gets the short idle limit under test.
        try await withStockSources { (stub, pexels, _) async throws in
            let clip = try #require(try await pexels.search(query).first)
            // The body stalls for 60 s, then completes: a timeout saying "sent nothing" can only come from
            // the stall detector (the outcome is asserted, not a stopwatch).
            try await stub.update(FootageStubOptions(stallBody: 60))
            let settings = FootageHTTP.Settings(requestTimeout: 5, downloadTimeout: 30, idleTimeout: 0.5)
            let error = await #expect(throws: FootageError.self) {
                try await FootageHTTP.withClient(settings: settings, retry: quickRetry) { http in
                    try await PexelsSource(apiKey: "test-key", baseURL: stub.baseURL, http: http)
                        .fetchMedia(of: clip, section: nil, to: folder.file("clip.mp4"))
                }
            }
            #expect(error?.code == .timeout && error?.message.contains("sent nothing") == true, "\(String(describing: error))")
        }
        #expect(folder.contents.isEmpty)
    }

    @Test func thePerHostLimitIsHonoured() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        let settings = FootageHTTP.Settings(perHostLimit: 2, globalLimit: 8)
        try await withStockSources(FootageStubOptions(latencyMilliseconds: 250), settings: settings) { (stub, pexels, _) async throws in
            let clip = try #require(try await pexels.search(query).first)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask { _ = try await pexels.fetchMedia(of: clip, section: nil, to: folder.file("\(index).mp4")) }
                }
                try await group.waitForAll()
            }
            let stats = try await stub.stats()
            #expect(stats.kinds["media"] == 6)
            #expect(stats.maxInFlight["media"] == 2)
        }
    }

    @Test func thePacerSpacesOneHostWhileAnotherHostProceeds() async throws {
        try await withFootageStub { slow in
            try await withFootageStub { fast in
                // The pacer waits on a manual clock: the paced host can go only when the test advances it.
                let clock = ManualClock()
                let settings = FootageHTTP.Settings(intervals: [FootageHTTP.authority(of: slow.baseURL): 1.2])
                let pacedDone = EventCounter()
                try await FootageHTTP.withClient(settings: settings, retry: quickRetry, clock: ErasedClock(clock)) { http in
                    let paced = PixabaySource(apiKey: "k", baseURL: slow.baseURL, http: http)
                    let free = PixabaySource(apiKey: "k", baseURL: fast.baseURL, http: http)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 {
                            group.addTask { _ = try await paced.search(query); pacedDone.increment() }
                        }
                        // The other host is not held up: all four of its searches finish while three paced ones wait.
                        try await withThrowingTaskGroup(of: Void.self) { others in
                            for _ in 0..<4 { others.addTask { _ = try await free.search(query) } }
                            try await others.waitForAll()
                        }
                        #expect(try await fast.stats().kinds["pixabay"] == 4)
                        try await waitUntil("the first paced search done, three waiting") { pacedDone.value == 1 && clock.sleeperCount == 3 }
                        #expect(try await slow.stats().kinds["pixabay"] == 1)
                        for turn in 2...4 {
                            clock.advance(by: .milliseconds(1_199))
                            #expect(clock.sleeperCount == 4 - turn + 1, "no paced search before its interval")
                            clock.advance(by: .milliseconds(1))
                            try await waitUntil("paced search \(turn) done") { pacedDone.value == turn }
                        }
                        try await group.waitForAll()
                    }
                }
                #expect(try await slow.stats().starts["pixabay"]?.count == 4)
            }
        }
    }

    @Test func theRequestCounterCountsEveryAttemptByHost() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        let counter = RequestCounter()
        let host = try await withStockSources(FootageStubOptions(fail: 1), counter: counter) { (stub, pexels, _) async throws in
            let clip = try #require(try await pexels.search(query).first)
            try await pexels.fetchThumbnail(of: clip, to: folder.file("t.jpg"))
            _ = try await pexels.fetchMedia(of: clip, section: nil, to: folder.file("m.mp4"))
            return FootageHTTP.authority(of: stub.baseURL)
        }
        #expect(await counter.snapshot() == [host: 4], "a failed attempt, the search, the thumbnail, the media")
        #expect(await counter.total == 4)
    }

    @Test func aWaiterForAFullHostStopsAtOnceWhenCancelled() async throws {
        let limiter = FootageLimiter(perHost: 1, global: 4)
        let (holding, release) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await limiter.withSlot(for: "a") {
                for await _ in holding { break }
            }
        }
        while await limiter.snapshot()["a"] != 1 { await Task.yield() }
        let waiter = Task { try await limiter.withSlot(for: "a") { "ran" } }
        #expect(try await limiter.withSlot(for: "b") { "other host" } == "other host")
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        release.yield()
        release.finish()
        try await holder.value
        #expect(await limiter.snapshot().isEmpty)
        #expect(try await limiter.withSlot(for: "a") { 1 } == 1, "the cancelled waiter took no slot")
    }

    @Test func theGlobalLimitHoldsAcrossHosts() async throws {
        actor Gauge {
            var now = 0, most = 0
            func enter() { now += 1; most = max(most, now) }
            func leave() { now -= 1 }
        }
        let limiter = FootageLimiter(perHost: 4, global: 2)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await limiter.withSlot(for: "host\(index % 4)") {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(20))
                        await gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.most == 2)
        #expect(await limiter.snapshot().isEmpty)
    }

    @Test func keysAreRedactedFromURLsInMessages() {
        let url = URL(string: "https://pixabay.com/api/videos/?key=secret123&q=rocket")!
        let safe = FootageHTTP.redacted(url)
        #expect(!safe.contains("secret123") && safe.contains("q=rocket"))
    }
}
