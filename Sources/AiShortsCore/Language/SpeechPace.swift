/// How fast a narrator speaks a language, in the unit its text is counted in.
///
/// Words for languages written with spaces (English about 2.5 a second), characters for Japanese
/// and Chinese, where a word count means little: a Japanese narrator says about 7 characters a
/// second (kana and kanji together), a Mandarin one about 4.5 (one syllable each). The writer
/// asks for a script of the target length in these units and accepts 0.64–1.36 times the rate,
/// the same band (1.6–3.4 words a second) it always allowed English.
public struct SpeechPace: Sendable, Hashable {
    /// What is counted.
    public enum Unit: String, Sendable, Hashable {
        /// Words, as ``WordSegmenter`` splits them.
        case words
        /// Letters and digits (punctuation and spaces are not spoken).
        case characters
    }

    /// What is counted.
    public var unit: Unit
    /// How many a narrator says in one second at normal speed.
    public var perSecond: Double

    /// The pace of `language`.
    public init(_ language: LanguageTag) {
        switch language.language {
        case "ja": self.init(unit: .characters, perSecond: 7)
        case "zh", "yue", "cmn": self.init(unit: .characters, perSecond: 4.5)
        case "es", "pt", "it", "fr": self.init(unit: .words, perSecond: 2.6)
        case "de", "nl", "ru", "uk", "pl", "fi", "hu", "tr", "ko": self.init(unit: .words, perSecond: 2.1)
        default: self.init(unit: .words, perSecond: 2.5)
        }
    }

    /// A pace with the given unit and rate.
    public init(unit: Unit, perSecond: Double) {
        self.unit = unit
        self.perSecond = perSecond
    }

    /// How many units `text` has.
    public func count(in text: String) -> Int {
        switch unit {
        case .words: WordSegmenter.words(in: text).count
        case .characters: text.filter { $0.isLetter || $0.isNumber }.count
        }
    }

    /// How many units fit in `seconds`.
    public func target(seconds: Double) -> Int { Int(seconds * perSecond) }

    /// The rates a script may have for its target length.
    public var acceptable: ClosedRange<Double> { perSecond * 0.64...perSecond * 1.36 }

    /// The unit's name in English, for prompts and messages.
    public var unitName: String { unit == .words ? "words" : "characters" }
}
