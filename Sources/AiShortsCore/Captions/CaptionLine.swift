/// A caption line: two to four words shown together, highlighted one by one as they are spoken.
public struct CaptionLine: Sendable, Hashable {
    /// The words, with times on the video's clock.
    public var words: [TimedWord]
    /// When the line appears.
    public var start: Double
    /// When the line disappears.
    public var end: Double

    /// Groups timed words into caption lines.
    ///
    /// A line ends after `maxWords` words, before it grows past `maxCharacters`, after a word that ends a
    /// clause (`.,!?;:`), or before a pause longer than half a second. A line stays up until the next
    /// begins, unless a longer pause follows, when it leaves 0.35 s after its last word.
    public static func group(_ words: [TimedWord], maxWords: Int, maxCharacters: Int) -> [CaptionLine] {
        var groups: [[TimedWord]] = []
        var current: [TimedWord] = []
        for word in words {
            let display = CaptionLine.display(word.text)
            let length = current.reduce(0) { $0 + CaptionLine.display($1.text).count + 1 } + display.count
            if let last = current.last,
                current.count >= maxWords || length > maxCharacters || word.start - last.end > 0.5
                    || (current.count >= 2 && Self.endsClause(last.text))
            {
                groups.append(current)
                current = []
            }
            current.append(word)
            if Self.endsClause(word.text), current.count >= 2 || Self.endsSentence(word.text) {
                groups.append(current)
                current = []
            }
        }
        if !current.isEmpty { groups.append(current) }
        return timed(groups)
    }

    /// Groups timed words into lines as `style` wants them: by characters where its script has no
    /// spaces (``groupByCharacters(_:minCharacters:maxCharacters:)``), else by words.
    public static func group(_ words: [TimedWord], maxWords: Int, style: CaptionStyle) -> [CaptionLine] {
        style.wordSeparator.isEmpty
            ? groupByCharacters(words, minCharacters: style.minCharacters, maxCharacters: style.maxCharacters)
            : group(words, maxWords: maxWords, maxCharacters: style.maxCharacters)
    }

    /// The word as shown: trailing commas, full stops, semicolons and colons are dropped (the CJK and
    /// Arabic ones too: `。`, `、`, `，`, `،`); `?` and `!` stay.
    public static func display(_ word: String) -> String {
        var text = Substring(word)
        while let last = text.last, dropped.contains(last) { text = text.dropLast() }
        return String(text)
    }

    private static let dropped: Set<Character> = [",", ".", ";", ":", "\u{2026}", "。", "、", "，", "；", "：", "،", "؛"]

    static func endsClause(_ word: String) -> Bool {
        guard let last = word.last else { return false }
        return dropped.contains(last) || ["!", "?", "！", "？", "؟"].contains(last)
    }

    static func endsSentence(_ word: String) -> Bool {
        guard let last = word.last else { return false }
        return [".", "!", "?", "。", "！", "？", "؟"].contains(last)
    }
}
