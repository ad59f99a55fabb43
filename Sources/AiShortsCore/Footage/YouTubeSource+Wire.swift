import Foundation

extension YouTubeSource {
    /// The first word of the progress lines this source asks yt-dlp for (`--progress-template`).
    static let progressMarker = "AISHORTS-PROGRESS"

    /// The parts of yt-dlp's `-J` output used: a playlist (`entries`, as a search gives) or one video.
    struct Info: Decodable, Sendable {
        struct Thumbnail: Decodable, Sendable {
            var url: String?
            var width: Int?
            var height: Int?
        }
        var id: String?
        var title: String?
        var description: String?
        var url: String?
        var webpage_url: String?
        var duration: Double?
        var thumbnail: String?
        var thumbnails: [Thumbnail]?
        var channel: String?
        var uploader: String?
        var width: Int?
        var height: Int?
        var live_status: String?
        var entries: [Info]?
    }

    /// The clips in yt-dlp's JSON, in its order; entries without a duration (live streams, channels,
    /// playlists) are dropped.
    /// - Throws: ``FootageError/Code-swift.struct/badResponse`` when it is not yt-dlp's JSON.
    static func clips(fromJSON data: Data, source: String, about subject: String) throws -> [FootageClip] {
        let info: Info
        do {
            info = try JSONDecoder().decode(Info.self, from: data)
        } catch {
            throw FootageError(.badResponse, file: subject, message: "yt-dlp's answer for \(subject) is not the JSON it should print; update yt-dlp with make bootstrap")
        }
        return (info.entries ?? [info]).compactMap { clip(from: $0, source: source) }
    }

    private static func clip(from entry: Info, source: String) -> FootageClip? {
        guard let id = entry.id, let duration = entry.duration, duration > 0, entry.live_status != "is_live" else { return nil }
        let page = (entry.webpage_url ?? entry.url).flatMap(URL.init(string:))
            ?? URL(string: "https://www.youtube.com/watch?v=\(id)")
        guard let page else { return nil }
        // yt-dlp lists thumbnails worst first; the best (largest) first is wanted.
        let listed = (entry.thumbnails ?? []).reversed().compactMap { $0.url.flatMap(URL.init(string:)) }
        var thumbnails: [URL] = []
        for url in [entry.thumbnail.flatMap(URL.init(string:))].compactMap({ $0 }) + listed where !thumbnails.contains(url) {
            thumbnails.append(url)
        }
        // Everything YouTube says of the clip, the channel included ("Nature Lab", "HomeFix" tell topics apart).
        let text = [entry.title, entry.description, entry.channel ?? entry.uploader].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return FootageClip(
            source: source, id: id, kind: .video, text: text, pageURL: page, thumbnails: thumbnails, media: page,
            width: entry.width ?? 0, height: entry.height ?? 0, duration: duration, author: entry.channel ?? entry.uploader
        )
    }

    /// A progress report from one of yt-dlp's stdout lines (as this source's `--progress-template`
    /// makes them), or `nil` for other lines.
    public static func progressReport(_ line: String, clip: String) -> Progress? {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 5, words[0] == progressMarker else { return nil }
        let number = { (word: String) -> Int64? in Double(word).map { Int64($0) } }
        guard let downloaded = number(words[2]) else { return nil }
        return Progress(clip: clip, status: words[1], downloadedBytes: downloaded, totalBytes: number(words[3]) ?? number(words[4]))
    }

    /// The error for a yt-dlp run that exited non-zero: its status and the tail of its stderr;
    /// ``FootageError/Code-swift.struct/truncated`` when yt-dlp gave up on a body that kept ending early.
    static func failure(_ result: ToolResult, about subject: String) -> FootageError {
        // yt-dlp sometimes writes "ERROR: \r[download] …", which the tail splits in two: join them again.
        var lines: [String] = []
        for line in result.stderrTail {
            if lines.last == "ERROR:" { lines[lines.count - 1] += " " + line } else { lines.append(line) }
        }
        let errors = lines.filter { $0.hasPrefix("ERROR:") }
        let tail = (errors.isEmpty ? Array(lines.suffix(3)) : Array(errors.suffix(2))).joined(separator: " | ")
        // Older yt-dlp says "… bytes, expected …", 2026 releases "… bytes read, … more expected".
        if tail.contains("bytes, expected") || tail.contains("more expected") || tail.contains("Did not get any data blocks") {
            return FootageError(.truncated, file: subject, message: "the download of \(subject) kept ending early (\(tail)); try again later")
        }
        return FootageError(.toolFailed, file: subject, message: "yt-dlp failed for \(subject) (\(result.status)): \(tail.isEmpty ? "no message" : tail); try again later, or update yt-dlp with make bootstrap")
    }

    /// Seconds as yt-dlp takes them (`12.5`, `3`).
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}
