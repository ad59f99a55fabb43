import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

@Suite("Footage HTTP: retries, timeouts, limits, pacing", .enabled(if: StubServer.available), .timeLimit(.minutes(2)))
struct FootageHTTPTests {
    let query = FootageQuery(text: "rocket", count: 5)

    private func seconds(since start: ContinuousClock.Instant) -> Double { start.duration(to: .now).inSeconds }

    @Test func a429WithRetryAfterOneIsRetriedAndSucceeds() async throws {
        try await withStockSources(FootageStubOptions(rateLimit: 1, retryAfter: "1")) { (stub, pexels, _) async throws in
            let start = ContinuousClock.now
            #expect(try await pexels.search(query).count == 1)
            #expect(seconds(since: start) >= 0.9, "Retry-After: 1 was honoured")
            #expect(try await stub.stats().kinds["pexels"] == 2)
        }
    }

    @Test func a429AskingLongerThanTheCapFailsQuicklyAsRateLimited() async throws {
        try await withStockSources(FootageStubOptions(rateLimit: 5, retryAfter: "120")) { (stub, _, pixabay) async throws in
            let start = ContinuousClock.now
            let error = await #expect(throws: FootageError.self) { try await pixabay.search(query) }
            #expect(error?.code == .rateLimited)
            #expect(error?.message.contains("120 s") == true, "\(error?.message ?? "")")
            #expect(seconds(since: start) < 6, "it must not wait the 120 s (a busy machine adds seconds)")
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
        try await withStockSources(FootageStubOptions(stall: 8), settings: settings) { (stub, pexels, _) async throws in
            let start = ContinuousClock.now
            let error = await #expect(throws: FootageError.self) { try await pexels.search(query) }
            #expect(error?.code == .timeout)
            // Well before the host's 8 s stall, whatever the machine's load (a busy test run adds seconds).
            #expect(seconds(since: start) < 6, "the 1 s limit did not end the request")
            #expect(try await stub.stats().total == 1, "a timeout is not retried")
        }
    }

    @Test func aDownloadThatStallsMidwayTimesOutAndLeavesNoFile() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        let settings = FootageHTTP.Settings(requestTimeout: 5, downloadTimeout: 30, idleTimeout: 0.5)
        try await withStockSources(settings: settings) { (stub, pexels, _) async throws in
            let clip = try #require(try await pexels.search(query).first)
            try await stub.update(FootageStubOptions(stallBody: 8))
            let start = ContinuousClock.now
            let error = await #expect(throws: FootageError.self) {
                try await pexels.fetchMedia(of: clip, section: nil, to: folder.file("clip.mp4"))
            }
            #expect(error?.code == .timeout && error?.message.contains("sent nothing") == true, "\(String(describing: error))")
            #expect(seconds(since: start) < 7, "before the 8 s stall ends (a busy machine adds seconds)")
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
                let interval = 1.2
                let settings = FootageHTTP.Settings(intervals: [FootageHTTP.authority(of: slow.baseURL): interval])
                let clock = ContinuousClock()
                let start = clock.now
                let (paced, free) = try await FootageHTTP.withClient(settings: settings, retry: quickRetry) { http in
                    let paced = PixabaySource(apiKey: "k", baseURL: slow.baseURL, http: http)
                    let free = PixabaySource(apiKey: "k", baseURL: fast.baseURL, http: http)
                    return try await withThrowingTaskGroup(of: (paced: Bool, seconds: Double).self) { group in
                        for _ in 0..<4 {
                            group.addTask { _ = try await paced.search(query); return (true, (clock.now - start).inSeconds) }
                            group.addTask { _ = try await free.search(query); return (false, (clock.now - start).inSeconds) }
                        }
                        var done: (paced: [Double], free: [Double]) = ([], [])
                        for try await (isPaced, seconds) in group {
                            if isPaced { done.paced.append(seconds) } else { done.free.append(seconds) }
                        }
                        return done
                    }
                }
                #expect(try await slow.stats().starts["pixabay"]?.count == 4)
                // Only lower bounds and wide gaps: a busy test run stalls processes for a second or more
                // (the stub's own arrival stamps were seen squeezed to 0.1 s apart, and an unpaced host's
                // three spread over 1.3 s). The pacer's exact spacing is tested in RequestPacerTests.
                #expect(paced.max()! >= 3 * interval - 0.05, "four paced requests need three intervals: \(paced)")
                #expect(free.max()! < paced.max()! - interval, "the other host did not wait behind the paced one: \(free) vs \(paced)")
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
