/// The caption font for a language: the spec's own choice, or a Noto family that has its script.
///
/// The default family, Open Sans, covers Latin (every accent, Vietnamese included), Greek and
/// Cyrillic. Other scripts get Debian's Noto families (`fonts-noto-core`, `fonts-noto-cjk`, which
/// `make bootstrap` installs): CJK in the regional variant that draws the language's glyph forms,
/// Arabic, Hebrew, the Indic scripts, Thai and its neighbours. A font named in the spec is kept
/// as it is (fontconfig falls back per glyph when it lacks one).
public enum CaptionFont {
    /// The family captions use unless a spec names another.
    public static let standard = "Open Sans"

    /// The family to draw captions in `language` with, when the spec asked for `requested`.
    public static func family(for language: LanguageTag, requested: String = standard) -> String {
        guard requested == standard else { return requested }
        switch language.writingSystem {
        case .latin: return standard
        case .japanese: return "Noto Sans CJK JP"
        case .korean: return "Noto Sans CJK KR"
        case .chinese:
            if language.region == "HK" || language.language == "yue" { return "Noto Sans CJK HK" }
            return language.script == "Hant" || language.region == "TW" ? "Noto Sans CJK TC" : "Noto Sans CJK SC"
        case .arabic: return language.language == "ur" ? "Noto Nastaliq Urdu" : "Noto Sans Arabic"
        case .hebrew: return "Noto Sans Hebrew"
        case .devanagari: return "Noto Sans " + (indic[language.language] ?? "Devanagari")
        case .thai: return "Noto Sans " + (southeastAsian[language.language] ?? "Thai")
        }
    }

    private static let indic = [
        "bn": "Bengali", "pa": "Gurmukhi", "gu": "Gujarati", "or": "Oriya", "ta": "Tamil", "te": "Telugu",
        "kn": "Kannada", "ml": "Malayalam", "si": "Sinhala",
    ]
    private static let southeastAsian = ["lo": "Lao", "km": "Khmer", "my": "Myanmar"]
}
