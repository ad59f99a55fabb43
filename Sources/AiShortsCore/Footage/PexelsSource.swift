public import Foundation

/// Stock videos from Pexels (`GET /videos/search`), portrait first, at the variant closest to the frame.
///
/// The key goes in the `Authorization` header and never into errors. Pexels has no tags, so a clip's
/// text is the words of its page's slug (`…/video/a-rocket-launching-at-night-123/` → "a rocket
/// launching at night"). Only MP4 files are chosen. Thumbnails are the video's `image`, then its
/// `video_pictures`.
public struct PexelsSource: FootageSource {
    /// The default API root.
    public static let defaultBaseURL: URL = {
        guard let url = URL(string: "https://api.pexels.com") else { preconditionFailure("the constant URL https://api.pexels.com does not parse") }
        return url
    }()
    /// The environment variable the caller reads the key from (named in errors).
    public static let keyVariable = "PEXELS_API_KEY"

    /// `pexels`.
    public var name: String { "pexels" }
    /// Always true.
    public var isRemote: Bool { true }

    /// The API key.
    public let apiKey: String
    /// The API root (tests pass a loopback server).
    public let baseURL: URL
    /// The HTTP client (limits, retries, counting).
    public let http: FootageHTTP

    /// Creates the source; `apiKey` comes from `PEXELS_API_KEY` or the config, read by the caller.
    public init(apiKey: String, baseURL: URL = PexelsSource.defaultBaseURL, http: FootageHTTP) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.http = http
    }

    struct Answer: Decodable, Sendable {
        struct Video: Decodable, Sendable {
            struct User: Decodable, Sendable { var name: String? }
            struct File: Decodable, Sendable {
                var id: Int?
                var quality: String?
                var file_type: String?
                var width: Int?
                var height: Int?
                var link: String?
            }
            struct Picture: Decodable, Sendable { var picture: String? }
            var id: Int
            var width: Int?
            var height: Int?
            var duration: Double?
            var url: String?
            var image: String?
            var user: User?
            var video_files: [File]?
            var video_pictures: [Picture]?
        }
        var videos: [Video]?
    }

    /// Searches Pexels; portrait only when the frame is portrait (Pexels filters by `orientation`).
    ///
    /// - Throws: ``FootageError`` (notConfigured without a key, and those of ``FootageHTTP/json(_:from:headers:keyHint:)``).
    public func search(_ query: FootageQuery) async throws -> [FootageClip] {
        guard !apiKey.isEmpty else {
            throw FootageError(.notConfigured, file: baseURL.absoluteString, message: "Pexels needs an API key; set \(Self.keyVariable) (free at https://www.pexels.com/api/)")
        }
        var parts = URLComponents(url: baseURL.appendingPathComponent("videos/search"), resolvingAgainstBaseURL: false)
        var items = [
            URLQueryItem(name: "query", value: query.text),
            URLQueryItem(name: "per_page", value: String(min(max(query.count, 1), 80))),
            URLQueryItem(name: "size", value: Self.sizeClass(query)),
        ]
        items.insert(URLQueryItem(name: "orientation", value: query.wantsPortrait ? "portrait" : query.frameWidth > query.frameHeight ? "landscape" : "square"), at: 2)
        parts?.queryItems = items
        guard let url = parts?.url else {
            throw FootageError(.badResponse, file: baseURL.absoluteString, message: "cannot build a Pexels search URL from \(baseURL.absoluteString); check the base URL")
        }
        let answer = try await http.json(Answer.self, from: url, headers: ["Authorization": apiKey], keyHint: Self.keyVariable)
        return (answer.videos ?? []).compactMap { clip(from: $0, query: query) }
    }

    /// Pexels' `size` is a minimum: large (4K), medium (Full HD), small (HD).
    static func sizeClass(_ query: FootageQuery) -> String {
        let short = min(query.frameWidth, query.frameHeight)
        return short > 1080 ? "large" : short > 720 ? "medium" : "small"
    }

    func clip(from video: Answer.Video, query: FootageQuery) -> FootageClip? {
        let files = (video.video_files ?? []).compactMap { file -> VariantChooser.Variant? in
            guard file.file_type?.lowercased() == "video/mp4", let link = file.link, let url = URL(string: link) else { return nil }
            return VariantChooser.Variant(url: url, width: file.width ?? 0, height: file.height ?? 0)
        }
        guard let best = VariantChooser.closest(files, to: query) else { return nil }
        let thumbnails = ([video.image] + (video.video_pictures ?? []).map(\.picture)).compactMap { $0.flatMap(URL.init(string:)) }
        let page = video.url.flatMap(URL.init(string:))
        return FootageClip(
            source: name, id: String(video.id), kind: .video, text: page.map(Self.words(fromPage:)) ?? "",
            pageURL: page, thumbnails: thumbnails, media: best.url, width: best.width, height: best.height,
            duration: video.duration, author: video.user?.name
        )
    }

    /// The words of a Pexels page's slug, without its trailing id.
    public static func words(fromPage page: URL) -> String {
        let slug = page.pathComponents.last { $0 != "/" } ?? ""
        var words = slug.split(separator: "-").map(String.init)
        if let last = words.last, last.allSatisfy(\.isNumber) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Downloads the first thumbnail.
    /// - Throws: ``FootageError``; badResponse when the clip has no thumbnail.
    public func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws {
        try await VariantChooser.fetchFirstThumbnail(of: clip, with: http, to: destination, keyHint: Self.keyVariable)
    }

    /// Downloads the whole chosen file (Pexels cannot cut); returns `nil` (the whole clip).
    /// - Throws: ``FootageError`` (truncated when the body ends early; nothing is left at `destination`).
    public func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection? {
        try await http.download(clip.media, to: destination, keyHint: Self.keyVariable)
        return nil
    }
}
