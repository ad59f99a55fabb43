public import Foundation

/// Stock videos from Pixabay (`GET /api/videos/`), at the rendition closest to the frame.
///
/// Pixabay takes its key as a query parameter (`key=`); errors show that URL with the key redacted.
/// It has no orientation filter, so results with the frame's orientation are moved first (keeping
/// Pixabay's order otherwise). A clip's text is its tags; its thumbnail is the chosen rendition's.
public struct PixabaySource: FootageSource {
    /// The default API root.
    public static let defaultBaseURL: URL = {
        guard let url = URL(string: "https://pixabay.com") else { preconditionFailure("the constant URL https://pixabay.com does not parse") }
        return url
    }()
    /// The environment variable the caller reads the key from (named in errors).
    public static let keyVariable = "PIXABAY_API_KEY"

    /// `pixabay`.
    public var name: String { "pixabay" }
    /// Always true.
    public var isRemote: Bool { true }

    /// The API key.
    public let apiKey: String
    /// The API root (tests pass a loopback server).
    public let baseURL: URL
    /// The HTTP client (limits, retries, counting).
    public let http: FootageHTTP

    /// Creates the source; `apiKey` comes from `PIXABAY_API_KEY` or the config, read by the caller.
    public init(apiKey: String, baseURL: URL = PixabaySource.defaultBaseURL, http: FootageHTTP) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.http = http
    }

    struct Answer: Decodable, Sendable {
        struct Hit: Decodable, Sendable {
            struct Rendition: Decodable, Sendable {
                var url: String?
                var width: Int?
                var height: Int?
                var size: Int?
                var thumbnail: String?
            }
            var id: Int
            var pageURL: String?
            var tags: String?
            var duration: Double?
            var user: String?
            var videos: [String: Rendition]?
        }
        var hits: [Hit]?
    }

    /// Searches Pixabay (safe search on); clips of the frame's orientation first.
    ///
    /// - Throws: ``FootageError`` (notConfigured without a key, and those of ``FootageHTTP/json(_:from:headers:keyHint:)``).
    public func search(_ query: FootageQuery) async throws -> [FootageClip] {
        guard !apiKey.isEmpty else {
            throw FootageError(.notConfigured, file: baseURL.absoluteString, message: "Pixabay needs an API key; set \(Self.keyVariable) (free at https://pixabay.com/api/docs/)")
        }
        var parts = URLComponents(url: baseURL.appendingPathComponent("api/videos/"), resolvingAgainstBaseURL: false)
        parts?.queryItems = [
            URLQueryItem(name: "key", value: apiKey),
            URLQueryItem(name: "q", value: String(query.text.prefix(100))),
            // Pixabay refuses per_page outside 3…200; fewer wanted are cut below.
            URLQueryItem(name: "per_page", value: String(min(max(query.count, 3), 200))),
            URLQueryItem(name: "safesearch", value: "true"),
        ]
        guard let url = parts?.url else {
            throw FootageError(.badResponse, file: baseURL.absoluteString, message: "cannot build a Pixabay search URL from \(baseURL.absoluteString); check the base URL")
        }
        let answer = try await http.json(Answer.self, from: url, keyHint: Self.keyVariable)
        let clips = (answer.hits ?? []).compactMap { clip(from: $0, query: query) }
        let fitting = clips.filter { VariantChooser.matchesOrientation(width: $0.width, height: $0.height, of: query) }
        let others = clips.filter { !VariantChooser.matchesOrientation(width: $0.width, height: $0.height, of: query) }
        return Array((fitting + others).prefix(max(query.count, 0)))
    }

    func clip(from hit: Answer.Hit, query: FootageQuery) -> FootageClip? {
        var thumbnails: [URL: URL] = [:]
        let variants = (hit.videos ?? [:]).values.compactMap { rendition -> VariantChooser.Variant? in
            // Pixabay lists renditions it does not have with an empty URL and zero size.
            guard let link = rendition.url, !link.isEmpty, let url = URL(string: link) else { return nil }
            thumbnails[url] = rendition.thumbnail.flatMap(URL.init(string:))
            return VariantChooser.Variant(url: url, width: rendition.width ?? 0, height: rendition.height ?? 0)
        }
        // Sorted first so that equal ranks choose the same rendition every time (dictionaries are unordered).
        guard let best = VariantChooser.closest(variants.sorted { $0.url.absoluteString < $1.url.absoluteString }, to: query) else { return nil }
        let tags = (hit.tags ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let otherThumbnails = Set(thumbnails.values).subtracting([thumbnails[best.url]].compactMap { $0 })
        return FootageClip(
            source: name, id: String(hit.id), kind: .video, text: tags.joined(separator: " "),
            pageURL: hit.pageURL.flatMap(URL.init(string:)),
            thumbnails: [thumbnails[best.url]].compactMap { $0 } + otherThumbnails.sorted { $0.absoluteString < $1.absoluteString },
            media: best.url, width: best.width, height: best.height, duration: hit.duration, author: hit.user
        )
    }

    /// Downloads the first thumbnail (the chosen rendition's).
    /// - Throws: ``FootageError``; badResponse when the clip has no thumbnail.
    public func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws {
        try await VariantChooser.fetchFirstThumbnail(of: clip, with: http, to: destination, keyHint: Self.keyVariable)
    }

    /// Downloads the whole chosen file (Pixabay cannot cut); returns `nil` (the whole clip).
    /// - Throws: ``FootageError`` (truncated when the body ends early; nothing is left at `destination`).
    public func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection? {
        try await http.download(clip.media, to: destination, keyHint: Self.keyVariable)
        return nil
    }
}
