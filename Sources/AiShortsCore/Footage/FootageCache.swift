public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The footage stage's disk caches: search results (kept 24 hours), thumbnails, and downloaded media
/// (content-addressed, least recently used removed beyond a size cap).
///
/// Built on ``DiskCache``, so every entry appears whole or not at all and concurrent jobs can share it:
/// two jobs downloading the same clip both succeed and store the same content once. Media files are
/// named by the SHA-256 of their bytes; a small index maps (source, clip, media URL, section) to the
/// content, so the same clip found through two queries is stored once.
public struct FootageCache: Sendable {
    /// The shared cache folder.
    public var disk: DiskCache
    /// How long a search answer is reused.
    public var searchLifetime: TimeInterval
    /// The most bytes of downloaded media kept; older media is removed after a job.
    public var mediaLimitBytes: Int64
    /// How long a failed download is not tried again by later jobs (a host down now may be up later).
    public var failureLifetime: TimeInterval

    /// Creates the caches inside `disk`.
    public init(disk: DiskCache, searchLifetime: TimeInterval = 24 * 3600, mediaLimitBytes: Int64 = 4 << 30, failureLifetime: TimeInterval = 15 * 60) {
        self.disk = disk
        self.searchLifetime = searchLifetime
        self.mediaLimitBytes = mediaLimitBytes
        self.failureLifetime = failureLifetime
    }

    struct FailureEntry: Codable {
        var failed: Date
        var code: String
        var message: String
    }

    /// Remembers that fetching `clip` (and section) failed, so jobs in the next ``failureLifetime`` skip it.
    public func rememberFailure(_ error: FootageError, of clip: FootageClip, section: ClipSection?, now: Date = Date()) {
        guard let data = try? JSONEncoder().encode(FailureEntry(failed: now, code: "\(error.code)", message: error.message)) else { return }
        try? disk.store(data, namespace: "footage-failed", key: Self.mediaKey(clip, section: section), extension: "json")
    }

    /// The failure remembered for `clip` (and section) within ``failureLifetime``, marked as repeated; or nil.
    public func recentFailure(of clip: FootageClip, section: ClipSection?, now: Date = Date()) -> FootageError? {
        guard let data = disk.data(namespace: "footage-failed", key: Self.mediaKey(clip, section: section), extension: "json"),
            let entry = try? JSONDecoder().decode(FailureEntry.self, from: data),
            now.timeIntervalSince(entry.failed) < failureLifetime, now >= entry.failed
        else { return nil }
        return FootageError(.downloadFailed, file: clip.key, message: "\(entry.message) (failed \(Int(now.timeIntervalSince(entry.failed) / 60)) min ago; tried again after \(Int(failureLifetime / 60)) min)", repeated: true)
    }

    struct SearchEntry: Codable {
        var fetched: Date
        var clips: [FootageClip]
    }

    struct MediaEntry: Codable {
        var content: String
        var ext: String
        var section: ClipSection?
    }

    /// The key naming one search.
    static func searchKey(source: String, query: FootageQuery) -> String {
        DiskCache.key(["footage-search-v1", source, query.text.lowercased(), String(query.count), "\(query.frameWidth)x\(query.frameHeight)"])
    }

    /// A cached search answer younger than ``searchLifetime``, or `nil`.
    public func search(source: String, query: FootageQuery, now: Date = Date()) -> [FootageClip]? {
        guard let data = disk.data(namespace: "footage-search", key: Self.searchKey(source: source, query: query), extension: "json"),
            let entry = try? JSONDecoder().decode(SearchEntry.self, from: data),
            now.timeIntervalSince(entry.fetched) < searchLifetime, now >= entry.fetched
        else { return nil }
        return entry.clips
    }

    /// Stores a search answer.
    public func storeSearch(_ clips: [FootageClip], source: String, query: FootageQuery, now: Date = Date()) throws {
        let data = try JSONEncoder().encode(SearchEntry(fetched: now, clips: clips))
        try disk.store(data, namespace: "footage-search", key: Self.searchKey(source: source, query: query), extension: "json")
    }

    /// Where the thumbnail for `url` lives (it may not exist yet).
    public func thumbnail(for url: URL) -> URL {
        disk.url(namespace: "footage-thumbs", key: DiskCache.key(["thumb-v1", url.absoluteString]), extension: "img")
    }

    static func mediaKey(_ clip: FootageClip, section: ClipSection?) -> String {
        let cut = section.map { String(format: "%.2f-%.2f", $0.start, $0.end) } ?? "whole"
        return DiskCache.key(["footage-media-v1", clip.source, clip.id, clip.media.absoluteString, cut])
    }

    /// The downloaded media for a clip (and section), if it is still in the cache; marks it recently used.
    public func media(for clip: FootageClip, section: ClipSection?) -> (file: URL, section: ClipSection?)? {
        guard let data = disk.data(namespace: "footage-index", key: Self.mediaKey(clip, section: section), extension: "json"),
            let entry = try? JSONDecoder().decode(MediaEntry.self, from: data)
        else { return nil }
        let file = disk.url(namespace: "footage-media", key: entry.content, extension: entry.ext)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        Self.touch(file)
        return (file, entry.section)
    }

    /// Moves a finished download into the cache under its content hash and indexes it for the clip.
    public func adoptMedia(_ file: URL, for clip: FootageClip, section: ClipSection?, written: ClipSection?) throws -> URL {
        let content = try FileDigests.hash(file)
        let ext = Self.mediaExtension(clip: clip, file: file)
        let destination = disk.url(namespace: "footage-media", key: content, extension: ext)
        if FileManager.default.fileExists(atPath: destination.path) {
            try? FileManager.default.removeItem(at: file)
            Self.touch(destination)
        } else {
            try disk.adopt(file, namespace: "footage-media", key: content, extension: ext)
        }
        let entry = try JSONEncoder().encode(MediaEntry(content: content, ext: ext, section: written))
        try disk.store(entry, namespace: "footage-index", key: Self.mediaKey(clip, section: section), extension: "json")
        return destination
    }

    /// Removes the least recently used media until the cache holds at most ``mediaLimitBytes``; returns
    /// how many bytes were freed. Files used in the last `protectSeconds` are kept (a running job's).
    @discardableResult
    public func trimMedia(protectSeconds: TimeInterval = 600) -> Int64 {
        let folder = disk.root.appendingPathComponent("footage-media")
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { return 0 }
        var files: [(url: URL, size: Int64, used: Date)] = []
        while let url = enumerator.nextObject() as? URL {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            files.append((url, Int64(values.fileSize ?? 0), values.contentModificationDate ?? .distantPast))
        }
        var total = files.reduce(0) { $0 + $1.size }
        var freed: Int64 = 0
        let recent = Date().addingTimeInterval(-protectSeconds)
        for file in files.sorted(by: { $0.used < $1.used }) where total > mediaLimitBytes && file.used < recent {
            if (try? FileManager.default.removeItem(at: file.url)) != nil {
                total -= file.size
                freed += file.size
            }
        }
        return freed
    }

    /// A fresh temporary file name inside the cache (same file system, so the final rename is atomic).
    public func temporaryFile(extension ext: String) throws -> URL {
        let folder = disk.root.appendingPathComponent("footage-tmp")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(UUID().uuidString).\(ext)")
    }

    static func mediaExtension(clip: FootageClip, file: URL) -> String {
        let fromFile = file.pathExtension.lowercased()
        if !fromFile.isEmpty, fromFile != "part", fromFile != "tmp" { return fromFile }
        let fromURL = clip.media.pathExtension.lowercased()
        if clip.kind == .still, !fromURL.isEmpty { return fromURL }
        return "mp4"
    }

    /// Marks a file as just used (its modification time), for the LRU order.
    static func touch(_ file: URL) {
        _ = utimes(file.path, nil)
    }
}
