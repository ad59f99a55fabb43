/// The frame shape of the output, written `"9:16"`, `"16:9"` or `"1:1"`.
public enum Aspect: String, Sendable, Hashable, Codable, CaseIterable {
    /// 1080x1920, for Shorts, TikTok and Reels.
    case portrait = "9:16"
    /// 1920x1080.
    case landscape = "16:9"
    /// 1080x1080.
    case square = "1:1"

    /// The output width in pixels.
    public var width: Int {
        switch self {
        case .portrait, .square: 1080
        case .landscape: 1920
        }
    }

    /// The output height in pixels.
    public var height: Int {
        switch self {
        case .portrait: 1920
        case .landscape, .square: 1080
        }
    }
}
