public import Foundation

/// Chooses, among a clip's renditions, the one closest to the output frame: stock sites offer each
/// video at several sizes, and downloading 4K for a 1080x1920 frame wastes time while 360p looks poor.
public enum VariantChooser {
    /// One rendition of a video.
    public struct Variant: Sendable, Hashable {
        /// The file.
        public var url: URL
        /// Width in pixels (0 when unknown).
        public var width: Int
        /// Height in pixels (0 when unknown).
        public var height: Int

        /// Creates a variant.
        public init(url: URL, width: Int, height: Int) {
            self.url = url
            self.width = width
            self.height = height
        }
    }

    /// The best variant for `query`'s frame, or `nil` when there is none.
    ///
    /// Preference, in order: the frame's orientation; covering the frame (its short side at least the
    /// frame's short side, so it is not upscaled); then the smallest such (the least to download), or,
    /// if none covers it, the largest. Variants of unknown size come last.
    public static func closest(_ variants: [Variant], to query: FootageQuery) -> Variant? {
        variants.min { rank($0, query) < rank($1, query) }
    }

    private static func rank(_ variant: Variant, _ query: FootageQuery) -> (Int, Int, Int) {
        guard variant.width > 0, variant.height > 0 else { return (3, 0, 0) }
        let portrait = variant.height > variant.width
        let landscape = variant.width > variant.height
        let wanted = query.wantsPortrait ? portrait : query.frameWidth > query.frameHeight ? landscape : !portrait && !landscape
        let short = min(variant.width, variant.height)
        let frameShort = min(query.frameWidth, query.frameHeight)
        let covers = short >= frameShort
        // Covering: smaller is better; not covering: larger is better.
        return (wanted ? 0 : 1, covers ? 0 : 1, covers ? short : -short)
    }

    /// Whether a clip of `width`x`height` has the frame's orientation (for ranking whole clips).
    public static func matchesOrientation(width: Int, height: Int, of query: FootageQuery) -> Bool {
        guard width > 0, height > 0 else { return false }
        if query.wantsPortrait { return height > width }
        if query.frameWidth > query.frameHeight { return width > height }
        return width == height
    }

    /// Downloads `clip`'s first thumbnail with `http` (shared by the HTTP sources).
    /// - Throws: ``FootageError``; badResponse when the clip lists no thumbnail.
    static func fetchFirstThumbnail(of clip: FootageClip, with http: FootageHTTP, to destination: URL, keyHint: String?) async throws {
        guard let first = clip.thumbnails.first else {
            throw FootageError(.badResponse, file: clip.key, message: "\(clip.key) has no thumbnail; it can only be judged by its words")
        }
        try await http.download(first, to: destination, keyHint: keyHint)
    }
}
