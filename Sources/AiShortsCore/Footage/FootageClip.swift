public import Foundation

/// One piece of footage a source found: a video or a still, with what is known about it before download.
///
/// A clip is a value that names everything needed to fetch it again later (its source, id and media
/// URL), so search results can be cached on disk and shared by jobs. For the local library, `media`
/// is a file URL and nothing is downloaded.
public struct FootageClip: Sendable, Hashable, Codable {
    /// Whether the clip moves.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A video.
        case video
        /// A still picture.
        case still
    }

    /// The source's name (`pexels`, `pixabay`, `youtube`, `library`).
    public var source: String
    /// The source's own id for the clip; unique within the source.
    public var id: String
    /// Video or still.
    public var kind: Kind
    /// Title, tags and description as one text, for the metadata scorer and reports.
    public var text: String
    /// Where a person can see it (a web page), if the source has one.
    public var pageURL: URL?
    /// Small pictures of the clip, best first (remote URLs, or file URLs for the library).
    public var thumbnails: [URL]
    /// The file to download (the variant the source chose), or the local file.
    public var media: URL
    /// Width of `media` in pixels (0 when unknown).
    public var width: Int
    /// Height of `media` in pixels (0 when unknown).
    public var height: Int
    /// Length in seconds; `nil` for stills or when unknown.
    public var duration: Double?
    /// Who made it, for credits.
    public var author: String?

    /// Creates a clip.
    public init(
        source: String, id: String, kind: Kind, text: String, pageURL: URL? = nil, thumbnails: [URL], media: URL,
        width: Int, height: Int, duration: Double?, author: String? = nil
    ) {
        self.source = source
        self.id = id
        self.kind = kind
        self.text = text
        self.pageURL = pageURL
        self.thumbnails = thumbnails
        self.media = media
        self.width = width
        self.height = height
        self.duration = duration
        self.author = author
    }

    /// `source:id`, unique across sources.
    public var key: String { "\(source):\(id)" }

    /// Whether the picture is taller than wide (unknown sizes count as not portrait).
    public var isPortrait: Bool { height > width && width > 0 }
}

/// What a source is asked for: one search phrase and the shape of footage wanted.
public struct FootageQuery: Sendable, Hashable, Codable {
    /// The search phrase.
    public var text: String
    /// At most this many results.
    public var count: Int
    /// The output frame's width, so a source can choose the closest variant.
    public var frameWidth: Int
    /// The output frame's height.
    public var frameHeight: Int

    /// Creates a query.
    public init(text: String, count: Int = 8, frameWidth: Int = 1080, frameHeight: Int = 1920) {
        self.text = text
        self.count = count
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
    }

    /// Whether portrait footage is preferred.
    public var wantsPortrait: Bool { frameHeight > frameWidth }
}

/// A stretch of a video, in seconds from its start.
public struct ClipSection: Sendable, Hashable, Codable {
    /// Start, in seconds.
    public var start: Double
    /// End, in seconds.
    public var end: Double

    /// Creates a section.
    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// `end - start`.
    public var length: Double { end - start }

    /// Whether the two stretches share any time.
    public func overlaps(_ other: ClipSection) -> Bool { start < other.end && other.start < end }
}
