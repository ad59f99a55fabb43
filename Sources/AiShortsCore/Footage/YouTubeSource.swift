public import Foundation

/// Videos from YouTube (or any site yt-dlp knows), found and fetched by running `yt-dlp`.
///
/// Search reads metadata and thumbnails only (`--flat-playlist -J "ytsearchN:…"`); a download fetches
/// only the section a scene needs (`--download-sections`), at most ``maxHeight`` pixels high, as MP4,
/// through a temporary name beside the destination, and must decode (ffprobe) or it is
/// ``FootageError/Code-swift.struct/truncated``. Every yt-dlp run first waits for its turn on a pacer
/// shared by all copies of this value (``interval`` between starts: the site's delay), so calls to
/// YouTube are spaced while other sources' work goes on. yt-dlp runs in its own process group:
/// cancelling a call ends it and the ffmpeg it started, and removes its temporary files.
public struct YouTubeSource: FootageSource {
    /// What a download has done so far, from yt-dlp's progress lines.
    public struct Progress: Sendable, Hashable {
        /// The clip being fetched (`youtube:ID`).
        public var clip: String
        /// yt-dlp's status: `downloading` or `finished`.
        public var status: String
        /// Bytes received so far.
        public var downloadedBytes: Int64
        /// The expected size, exact or estimated, when known.
        public var totalBytes: Int64?

        /// Creates a progress report.
        public init(clip: String, status: String, downloadedBytes: Int64, totalBytes: Int64?) {
            self.clip = clip
            self.status = status
            self.downloadedBytes = downloadedBytes
            self.totalBytes = totalBytes
        }

        /// Done so far, 0…1, when the size is known.
        public var fraction: Double? {
            guard let totalBytes, totalBytes > 0 else { return nil }
            return min(Double(downloadedBytes) / Double(totalBytes), 1)
        }
    }

    /// `youtube`.
    public var name: String { "youtube" }
    /// Always true.
    public var isRemote: Bool { true }
    /// True: YouTube has videos in every language, so a scene's phrases in the short's language are
    /// searched there too.
    public var searchesLocalPhrases: Bool { true }

    /// The yt-dlp program.
    public let tool: Tool
    /// Fetches thumbnails (they are plain images on a CDN).
    public let http: FootageHTTP
    /// Checks that downloads decode.
    public let probe: MediaProbe
    /// The tallest picture downloaded.
    public let maxHeight: Int
    /// Seconds yt-dlp waits on a silent connection before it gives up.
    public let socketTimeout: Double
    /// The least time between the starts of two yt-dlp runs, in seconds.
    public let interval: Double
    /// What yt-dlp is asked to search (`ytsearchN:words` by default; tests pass a loopback page).
    public let searchTarget: @Sendable (FootageQuery) -> String
    private let pacer: RequestPacer

    /// Creates the source.
    /// - Parameters:
    ///   - interval: seconds between yt-dlp starts (search and download share it); 0 does not pace.
    ///   - searchTarget: the argument yt-dlp searches, from the query.
    public init(
        tool: Tool = YouTubeSource.defaultTool(), http: FootageHTTP, probe: MediaProbe = MediaProbe(), maxHeight: Int = 1080,
        socketTimeout: Double = 20, interval: Double = 2,
        searchTarget: @escaping @Sendable (FootageQuery) -> String = { "ytsearch\(max($0.count, 1)):\($0.text)" }
    ) {
        self.tool = tool
        self.http = http
        self.probe = probe
        self.maxHeight = maxHeight
        self.socketTimeout = socketTimeout
        self.interval = interval
        self.searchTarget = searchTarget
        // Waits on the HTTP client's clock, so a test that paces one paces both.
        self.pacer = RequestPacer(intervals: ["youtube": interval], clock: http.pacer.clock)
    }

    /// yt-dlp as `AISHORTS_YT_DLP` names it, else on `PATH`, else the checkout's `.deps/venv/bin/yt-dlp`
    /// (where the bootstrap installs it), found by walking up from the running executable.
    public static func defaultTool(
        environment: [String: String] = ProcessInfo.processInfo.environment, executable: URL? = Bundle.main.executableURL
    ) -> Tool {
        let configured = Tool.fromEnvironment("yt-dlp")
        if configured.path != nil || (try? configured.resolved()) != nil { return configured }
        var folder = executable?.resolvingSymlinksInPath().deletingLastPathComponent()
        while let current = folder, current.path != "/", !current.path.isEmpty {
            let candidate = current.appendingPathComponent(".deps/venv/bin/yt-dlp")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return Tool(name: "yt-dlp", path: candidate.path) }
            folder = current.deletingLastPathComponent()
        }
        return configured
    }

    /// Searches with yt-dlp; only videos with a known duration are kept (no live streams, no channels).
    ///
    /// - Throws: ``FootageError``: notConfigured (yt-dlp missing), toolFailed (non-zero exit, with its
    ///   stderr tail), badResponse (not yt-dlp's JSON).
    public func search(_ query: FootageQuery) async throws -> [FootageClip] {
        let target = searchTarget(query)
        let result = try await runYTDLP(["--flat-playlist", "-J", "--no-warnings", "--socket-timeout", Self.seconds(socketTimeout), target], about: target)
        guard result.isSuccess else { throw Self.failure(result, about: target) }
        return try Self.clips(fromJSON: result.stdout, source: name, about: target).prefix(max(query.count, 0)).map { $0 }
    }

    /// Downloads the first thumbnail over HTTP.
    /// - Throws: ``FootageError``; badResponse when the clip has no thumbnail.
    public func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws {
        try await VariantChooser.fetchFirstThumbnail(of: clip, with: http, to: destination, keyHint: nil)
    }

    /// Downloads the clip, or only `section` of it; see ``fetchMedia(of:section:to:progress:)``.
    public func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection? {
        try await fetchMedia(of: clip, section: section, to: destination, progress: nil)
    }

    /// Downloads the clip, or only `section` of it, to `destination` as MP4, reporting progress.
    ///
    /// - Returns: the section written (its real length, as cuts fall on keyframes), or `nil` for the whole clip.
    /// - Throws: ``FootageError``: toolFailed (non-zero exit, with the stderr tail), truncated (the file does
    ///   not decode; it is removed), notConfigured; `CancellationError` (yt-dlp and its ffmpeg are ended,
    ///   temporary files removed).
    public func fetchMedia(
        of clip: FootageClip, section: ClipSection?, to destination: URL, progress: (@Sendable (Progress) async -> Void)?
    ) async throws -> ClipSection? {
        let folder = destination.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let prefix = ".\(destination.lastPathComponent).yt-\(UUID().uuidString)"
        defer { Self.removeFiles(in: folder, prefix: prefix) }
        let arguments = downloadArguments(for: clip.media, section: section, output: folder.appendingPathComponent(prefix + ".%(ext)s"))
        let key = clip.key
        let result = try await runYTDLP(arguments, about: clip.media.absoluteString) { line in
            if let report = Self.progressReport(line, clip: key) { await progress?(report) }
        }
        guard result.isSuccess else { throw Self.failure(result, about: clip.media.absoluteString) }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".mp4") }.first
        guard let written else {
            throw FootageError(.truncated, file: clip.media.absoluteString, message: "yt-dlp reported success for \(clip.media.absoluteString) but wrote no MP4; try again, or update yt-dlp with make bootstrap")
        }
        let temporary = folder.appendingPathComponent(written)
        guard case .readable(let info) = try await probe.probe(temporary), info.kind == .video else {
            throw FootageError(.truncated, file: clip.media.absoluteString, message: "the download of \(clip.media.absoluteString) does not decode (corrupt or cut short); try again later")
        }
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: temporary, to: destination)
        guard let section else { return nil }
        return ClipSection(start: section.start, end: section.start + (info.duration ?? section.length))
    }

    /// yt-dlp's arguments for one download.
    func downloadArguments(for url: URL, section: ClipSection?, output: URL) -> [String] {
        let height = maxHeight
        var arguments = [
            "--newline", "--no-warnings", "--no-playlist", "--no-mtime", "--retries", "3", "--fragment-retries", "3",
            "--socket-timeout", Self.seconds(socketTimeout),
            "--progress-template", "download:\(Self.progressMarker) %(progress.status)s %(progress.downloaded_bytes)s %(progress.total_bytes)s %(progress.total_bytes_estimate)s",
            // MP4 video and M4A sound merged without re-encoding; else the best single MP4; else anything
            // (remuxed to MP4). `<=?` lets through formats of unknown height (direct links).
            "-f", "bv*[height<=?\(height)][ext=mp4]+ba[ext=m4a]/b[height<=?\(height)][ext=mp4]/bv*[height<=?\(height)]+ba/b[height<=?\(height)]",
            "--merge-output-format", "mp4", "--remux-video", "mp4",
            "-o", output.path,
        ]
        if let ffmpeg = try? Tool.ffmpeg.resolved() { arguments += ["--ffmpeg-location", ffmpeg] }
        if let section {
            arguments += ["--download-sections", "*\(Self.seconds(max(section.start, 0)))-\(Self.seconds(section.end))"]
        }
        return arguments + ["--", url.absoluteString]
    }

    /// Waits for YouTube's turn, then runs yt-dlp: streaming stdout lines to `onLine`, or, without it,
    /// collecting stdout into the result.
    private func runYTDLP(_ arguments: [String], about subject: String, onLine: (@Sendable (String) async -> Void)? = nil) async throws -> ToolResult {
        try await pacer.waitTurn("youtube")
        let runner = ToolRunner(keptStderrLines: 20, signalsProcessGroup: true)
        do {
            guard let onLine else { return try await runner.run(tool, arguments: arguments) }
            return try await runner.stream(tool, arguments: arguments) { line in await onLine(line) }
        } catch let error as ToolError {
            throw FootageError(.notConfigured, file: subject, message: "yt-dlp cannot run (\(error.reason)); run make bootstrap (it installs yt-dlp into .deps/venv) or set AISHORTS_YT_DLP")
        }
    }

    private static func removeFiles(in folder: URL, prefix: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
