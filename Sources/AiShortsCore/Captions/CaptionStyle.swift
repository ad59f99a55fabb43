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
    /// The fewest characters on a line, where lines are broken by characters (scripts without spaces).
    public var minCharacters: Int = 1
    /// Whether lines run right to left (Arabic, Hebrew): libass then finds the base direction itself.
    public var rightToLeft = false
    /// What goes between two words on a line: a space, or nothing where the script has no spaces.
    public var wordSeparator = " "

    /// The style for a frame of `width` x `height`, in Latin script.
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

    /// The style for captions in `language` on a frame of `width` x `height`: its script's font
    /// (``CaptionFont``), right to left for Arabic and Hebrew, and for Japanese, Chinese and Thai
    /// lines of 6 to 14 characters (24 for Thai, whose marks stack) joined without spaces, in a size
    /// that fits the longest line inside the safe area. Korean keeps its spaces and word lines, with
    /// fewer characters a line: Hangul is as wide as kanji.
    public init(width: Int, height: Int, font: String = CaptionFont.standard, language: LanguageTag) {
        self.init(width: width, height: height, font: CaptionFont.family(for: language, requested: font))
        let system = language.writingSystem
        rightToLeft = system.isRightToLeft
        let usable = Double(width - 2 * marginSide)
        if system == .korean { maxCharacters = max(Int(usable / (Double(fontSize) * 0.95)), 6) }
        guard !system.separatesWords else { return }
        wordSeparator = ""
        minCharacters = 6
        maxCharacters = system == .thai ? 24 : 14
        // CJK glyphs are one em wide; Thai's are about half.
        let em = system == .thai ? 0.55 : 1.0
        fontSize = min(fontSize, Int(usable / (Double(maxCharacters) * em)))
        outline = max(Int(Double(fontSize) * 0.07), 2)
    }
}
