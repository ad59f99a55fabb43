public import Foundation

/// Somewhere footage can be found: a stock site, a video site, or the user's own folders.
///
/// Sources only search and fetch; the footage stage caches their answers (search results for 24 hours,
/// thumbnails and media by content), ranks, assigns clips to scenes and falls back. A source must be
/// safe to call concurrently, and every call must end: a slow host times out with a ``FootageError``.
public protocol FootageSource: Sendable {
    /// The source's name in reports and cache keys (`pexels`).
    var name: String { get }
    /// Whether the source reaches the network (its results are cached and its requests counted).
    var isRemote: Bool { get }
    /// Whether the source is also asked the scenes' phrases in the short's language (a scene's
    /// `localQueries`): true for a video site with videos in every language, false for stock sites
    /// that index English only. An extension makes it false.
    var searchesLocalPhrases: Bool { get }

    /// Clips for one phrase, best first by the source's own ranking; an empty list is a normal answer.
    /// - Throws: ``FootageError`` (unauthorized, rate limited, server error, timeout, bad response).
    func search(_ query: FootageQuery) async throws -> [FootageClip]

    /// Writes the clip's first thumbnail to `destination` (a file the caller will rename into place).
    func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws

    /// Writes the clip's media, or only `section` of it where the source can cut, to `destination` as MP4
    /// (or the still's own format). Returns the section actually written (`nil`: the whole clip).
    /// - Throws: ``FootageError``; a truncated or undecodable file is an error, never a result.
    func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection?
}

extension FootageSource {
    /// False: most sources index English phrases only.
    public var searchesLocalPhrases: Bool { false }
}

/// Counts the network requests a job makes, per host, so reports can show them and a second run of a
/// cached job can prove it made none.
public actor RequestCounter {
    private var hosts: [String: Int] = [:]

    /// Creates an empty counter.
    public init() {}

    /// Records one request to `host`.
    public func record(host: String) {
        hosts[host, default: 0] += 1
    }

    /// Requests so far, by host.
    public func snapshot() -> [String: Int] { hosts }

    /// All requests so far.
    public var total: Int { hosts.values.reduce(0, +) }
}
