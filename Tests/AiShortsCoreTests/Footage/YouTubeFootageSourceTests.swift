import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// Collects progress reports from a download.
private actor ProgressLog {
    private(set) var reports: [YouTubeSource.Progress] = []
    func add(_ report: YouTubeSource.Progress) { reports.append(report) }
}

private let ytDLP = YouTubeSource.defaultTool()
private let ytDLPAvailable = StubServer.available && (try? ytDLP.resolved()) != nil

/// Runs `body` with a footage stub and a YouTube source (not paced) whose searches read the stub's page.
private func withYouTube<T: Sendable>(
    _ options: FootageStubOptions = FootageStubOptions(), _ body: (FootageStub, YouTubeSource) async throws -> T
) async throws -> T {
    try await withFootageStub(options) { stub in
        try await FootageHTTP.withClient(retry: quickRetry) { http in
            let page = stub.watchURL("abc").absoluteString
            let source = YouTubeSource(tool: ytDLP, http: http, socketTimeout: 5, interval: 0, searchTarget: { _ in page })
            return try await body(stub, source)
        }
    }
}

private func loopbackClip(_ url: URL, id: String = "long") -> FootageClip {
    FootageClip(source: "youtube", id: id, kind: .video, text: "test pattern", thumbnails: [], media: url, width: 320, height: 240, duration: 20)
}

private func duration(of url: URL) async throws -> Double? {
    guard case .readable(let info) = try await MediaProbe().probe(url) else { return nil }
    return info.duration
}

@Suite("YouTube source (yt-dlp against a loopback server)", .enabled(if: ytDLPAvailable), .timeLimit(.minutes(3)))
struct YouTubeFootageSourceTests {
    @Test func searchReadsTheMetadataYtDLPPrints() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withYouTube { (stub, source) async throws in
            let clips = try await source.search(FootageQuery(text: "test pattern", count: 3))
            let clip = try #require(clips.first)
            #expect(clips.count == 1)
            #expect(clip.source == "youtube" && clip.id == "abc" && clip.duration == 20)
            #expect(clip.text.contains("Test pattern abc") && clip.text.contains("twenty second"))
            #expect(clip.media == stub.watchURL("abc"))
            #expect(clip.thumbnails.first?.path == "/thumbs/1001.jpg")
            try await source.fetchThumbnail(of: clip, to: folder.file("thumb.jpg"))
        }
        guard case .readable(let info) = try await MediaProbe().probe(folder.file("thumb.jpg")) else {
            Issue.record("the thumbnail does not decode")
            return
        }
        #expect(info.kind == .still)
    }

    @Test func aWholeDownloadReportsProgressAndDecodes() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        let log = ProgressLog()
        try await withYouTube { (stub, source) async throws in
            let written = try await source.fetchMedia(of: loopbackClip(stub.longVideoURL), section: nil, to: folder.file("whole.mp4")) { report in
                await log.add(report)
            }
            #expect(written == nil)
        }
        let reports = await log.reports
        #expect(!reports.isEmpty && reports.last?.status == "finished", "\(reports)")
        #expect(reports.allSatisfy { $0.clip == "youtube:long" })
        let seconds = try #require(try await duration(of: folder.file("whole.mp4")))
        #expect(abs(seconds - 20) < 0.5)
        #expect(folder.contents == ["whole.mp4"], "no temporary files are left")
    }

    @Test func aSectionDownloadHoldsAboutTheSectionNotTheWhole() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        let written = try await withYouTube { (stub, source) async throws in
            try await source.fetchMedia(of: loopbackClip(stub.watchURL("abc")), section: ClipSection(start: 3, end: 7), to: folder.file("part.mp4"))
        }
        let seconds = try #require(try await duration(of: folder.file("part.mp4")))
        #expect(seconds > 3.5 && seconds < 5.5, "\(seconds) s")
        #expect(written?.start == 3 && abs((written?.length ?? 0) - seconds) < 0.01)
        #expect(folder.contents == ["part.mp4"])
    }

    @Test func aFailingRunIsToolFailedWithItsStderr() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withYouTube { (stub, source) async throws in
            let missing = stub.baseURL.appendingPathComponent("media/missing.mp4")
            let error = await #expect(throws: FootageError.self) {
                try await source.fetchMedia(of: loopbackClip(missing), section: nil, to: folder.file("x.mp4"))
            }
            #expect(error?.code == .toolFailed)
            #expect(error?.message.contains("404") == true, "\(error?.message ?? "")")
        }
        #expect(folder.contents.isEmpty)
    }

    @Test func aCorruptDownloadIsTruncatedAndRemoved() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withYouTube(FootageStubOptions(corrupt: true)) { (stub, source) async throws in
            let error = await #expect(throws: FootageError.self) {
                try await source.fetchMedia(of: loopbackClip(stub.longVideoURL), section: nil, to: folder.file("bad.mp4"))
            }
            #expect(error?.code == .truncated, "\(String(describing: error))")
        }
        #expect(folder.contents.isEmpty)
    }

    @Test func aDownloadThatKeepsEndingEarlyIsTruncatedAndRemoved() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withYouTube(FootageStubOptions(truncate: true)) { (stub, source) async throws in
            let error = await #expect(throws: FootageError.self) {
                try await source.fetchMedia(of: loopbackClip(stub.longVideoURL), section: nil, to: folder.file("short.mp4"))
            }
            #expect(error?.code == .truncated && error?.message.contains("expected") == true, "\(String(describing: error))")
        }
        #expect(folder.contents.isEmpty, "the .part file is removed too")
    }

    @Test func cancellingADownloadEndsYtDlpAndRemovesItsFiles() async throws {
        let folder = try DownloadFolder()
        defer { folder.remove() }
        try await withYouTube(FootageStubOptions(stallBody: 30)) { (stub, source) async throws in
            let clip = loopbackClip(stub.longVideoURL)
            let download = Task { try await source.fetchMedia(of: clip, section: nil, to: folder.file("slow.mp4")) }
            // Wait until yt-dlp is writing its partial file, then cancel.
            try await waitUntil("yt-dlp writing its .part file") { folder.contents.contains { $0.hasSuffix(".part") } }
            download.cancel()
            // The outcome, not a stopwatch: the task ends with an error (the 30 s stall would otherwise
            // end in a whole file), yt-dlp and its ffmpeg are gone, and no file is left.
            await #expect(throws: (any Error).self) { try await download.value }
        }
        #expect(folder.contents.isEmpty, "\(folder.contents)")
        #expect(Self.processes(mentioning: folder.url.path).isEmpty, "yt-dlp or its ffmpeg outlived the cancelled task")
    }

    /// Command lines of running processes that contain `text`.
    static func processes(mentioning text: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { $0.allSatisfy(\.isNumber) }.compactMap { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(text) ? line : nil
        }
    }
}

@Suite("YouTube source: parsing and pacing")
struct YouTubeFootageParsingTests {
    @Test func progressLinesAreParsedAndOtherLinesIgnored() throws {
        let report = try #require(YouTubeSource.progressReport("AISHORTS-PROGRESS downloading 1024 4096 NA", clip: "youtube:x"))
        #expect(report.status == "downloading" && report.downloadedBytes == 1024 && report.totalBytes == 4096 && report.fraction == 0.25)
        let estimated = try #require(YouTubeSource.progressReport("AISHORTS-PROGRESS downloading 10 NA 40.0", clip: "youtube:x"))
        #expect(estimated.totalBytes == 40)
        #expect(YouTubeSource.progressReport("[download] Destination: x.mp4", clip: "youtube:x") == nil)
    }

    @Test func aSearchPlaylistKeepsOnlyVideosWithADuration() async throws {
        let json = """
            {"_type": "playlist", "entries": [
              {"id": "a1", "title": "Rocket launch", "url": "https://www.youtube.com/watch?v=a1", "duration": 61.0, "channel": "NASA",
               "thumbnails": [{"url": "https://i.ytimg.com/vi/a1/small.jpg"}, {"url": "https://i.ytimg.com/vi/a1/big.jpg"}]},
              {"id": "live", "title": "Live now", "url": "https://www.youtube.com/watch?v=live", "duration": null},
              {"id": "UCxyz", "title": "A channel", "url": "https://www.youtube.com/channel/UCxyz"}
            ]}
            """
        let tool = try FakeYTDLP(printing: json)
        defer { tool.remove() }
        try await FootageHTTP.withClient { http in
            let source = YouTubeSource(tool: tool.tool, http: http, interval: 0)
            let clips = try await source.search(FootageQuery(text: "rocket"))
            #expect(clips.map(\.id) == ["a1"])
            #expect(clips.first?.author == "NASA" && clips.first?.duration == 61)
            #expect(clips.first?.thumbnails.map(\.lastPathComponent) == ["big.jpg", "small.jpg"])
            #expect(clips.first?.media.absoluteString == "https://www.youtube.com/watch?v=a1")
            #expect(try String(contentsOf: tool.arguments, encoding: .utf8).contains("ytsearch8:rocket"))
        }
    }

    @Test func runsAreSpacedByTheSiteDelayButOtherWorkIsNot() async throws {
        let tool = try FakeYTDLP(printing: #"{"entries": []}"#)
        defer { tool.remove() }
        let clock = ManualClock()
        let done = EventCounter()
        try await FootageHTTP.withClient(clock: ErasedClock(clock)) { http in
            let source = YouTubeSource(tool: tool.tool, http: http, interval: 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { _ = try await source.search(FootageQuery(text: "x")); done.increment() }
                }
                // The first run goes at once; the others wait on the clock, holding nothing up (this test
                // task goes on meanwhile).
                try await waitUntil("one run done, two waiting") { done.value == 1 && clock.sleeperCount == 2 }
                for turn in 2...3 {
                    clock.advance(by: .milliseconds(999))
                    #expect(clock.sleeperCount == 3 - turn + 1, "no run before the site's interval")
                    clock.advance(by: .milliseconds(1))
                    try await waitUntil("run \(turn) done") { done.value == turn }
                }
                try await group.waitForAll()
            }
        }
        let starts = try String(contentsOf: tool.starts, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
        #expect(starts.count == 3)
    }
}

/// A shell script standing in for yt-dlp: records when it started and its arguments, prints fixed JSON.
private struct FakeYTDLP {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-fake-ytdlp-\(UUID().uuidString)")
    var starts: URL { folder.appendingPathComponent("starts") }
    var arguments: URL { folder.appendingPathComponent("arguments") }
    var tool: Tool { Tool(name: "yt-dlp", path: folder.appendingPathComponent("yt-dlp").path) }

    init(printing json: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: folder.appendingPathComponent("answer.json"))
        let script = """
            #!/bin/sh
            date +%s.%N >> '\(starts.path)'
            echo "$@" >> '\(arguments.path)'
            cat '\(folder.appendingPathComponent("answer.json").path)'
            """
        let path = folder.appendingPathComponent("yt-dlp").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
