/// How captions look and where they sit, scaled to the output frame.
///
/// The defaults keep captions inside the Shorts/TikTok/Reels safe area: clear of the title and
/// buttons along the bottom quarter and the action column on the right.
public struct CaptionStyle: Sendable, Hashable {
    /// The font family, as fontconfig names it.
    public var font: String
    /// Font size in output pixels.
    public var fontSize: Int
    /// Text colour, as ASS `&HBBGGRR`.
    public var textColor: String
    /// Colour of the word being spoken, as ASS `&HBBGGRR`.
    public var highlightColor: String
    /// Outline width in pixels.
    public var outline: Int
    /// Shadow depth in pixels.
    public var shadow: Int
    /// Distance of the caption baseline from the bottom edge.
    public var marginBottom: Int
    /// Left and right margins.
    public var marginSide: Int
    /// The most characters on a line before it is split.
    public var maxCharacters: Int

    /// The style for a frame of `width` x `height`.
    public init(width: Int, height: Int, font: String = "Open Sans") {
        let base = Double(min(width, height))
        self.font = font
        self.fontSize = Int(base * 0.085)
        self.textColor = "&H00FFFFFF"
        self.highlightColor = "&H0000E0FF"
        self.outline = max(Int(base * 0.0065), 2)
        self.shadow = max(Int(base * 0.003), 1)
        let portrait = height > width
        self.marginBottom = Int(Double(height) * (portrait ? 0.30 : 0.12))
        self.marginSide = Int(Double(width) * (portrait ? 0.12 : 0.1))
        let usable = Double(width - 2 * marginSide)
        self.maxCharacters = max(Int(usable / (Double(fontSize) * 0.56)), 8)
    }
}
