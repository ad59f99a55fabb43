public import Foundation

/// A language a short is written, spoken and captioned in, as a BCP 47 tag (`pt-BR`, `ja`, `en-US`).
///
/// Only the parts the pipeline acts on are kept: the language subtag (lower-cased), an optional script
/// subtag (`Hant`) and an optional region (`BR`). Variants and extensions are refused rather than
/// silently dropped, so a tag round-trips exactly through a spec.
public struct LanguageTag: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The primary language subtag, lower-cased: `pt`, `ja`, `en`.
    public let language: String
    /// The script subtag, title-cased (`Hant`), when the tag names one.
    public let script: String?
    /// The region subtag, upper-cased (`BR`) or three digits (`419`), when the tag names one.
    public let region: String?

    /// The default language of a spec: American English.
    public static let english = LanguageTag(language: "en", script: nil, region: "US")

    private init(language: String, script: String?, region: String?) {
        self.language = language
        self.script = script
        self.region = region
    }

    /// Parses `text` (`pt-BR`, `pt_br`, `ja`, `zh-Hant-TW`, `es-419`); nil when it is not such a tag.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return nil
        }
        var script: String?
        var region: String?
        for part in parts.dropFirst() {
            if script == nil, region == nil, part.count == 4, part.allSatisfy({ $0.isASCII && $0.isLetter }) {
                script = part.prefix(1).uppercased() + part.dropFirst().lowercased()
            } else if region == nil,
                      (part.count == 2 && part.allSatisfy({ $0.isASCII && $0.isLetter }))
                        || (part.count == 3 && part.allSatisfy({ $0.isASCII && $0.isNumber })) {
                region = part.uppercased()
            } else {
                return nil
            }
        }
        self.init(language: first.lowercased(), script: script, region: region)
    }

    /// The canonical form: `pt-BR`, `zh-Hant-TW`.
    public var description: String {
        ([language] + [script, region].compactMap { $0 }).joined(separator: "-")
    }

    /// Whether `other` is the same language, ignoring script and region (`pt-BR` matches `pt-PT` and `pt`).
    public func sameLanguage(as other: LanguageTag) -> Bool { language == other.language }

    /// How well `other` serves a request for this tag: 2 for the same language and region, 1 for the same
    /// language where either side names no region (or regions differ), 0 for another language.
    public func match(_ other: LanguageTag) -> Int {
        guard sameLanguage(as: other) else { return 0 }
        return region == other.region ? 2 : 1
    }

    /// The language's name in English, for messages and prompts (`Brazilian Portuguese`), or the tag.
    public var englishName: String {
        let base = Self.names[language] ?? description
        switch (language, region) {
        case ("pt", "BR"): return "Brazilian Portuguese"
        case ("pt", "PT"): return "European Portuguese"
        case ("es", "419"), ("es", "MX"): return "Latin American Spanish"
        case ("en", "GB"): return "British English"
        case ("zh", _) where script == "Hant" || region == "TW" || region == "HK": return "Traditional Chinese"
        case ("zh", _): return "Simplified Chinese"
        default: return base
        }
    }

    static let names: [String: String] = [
        "en": "English", "pt": "Portuguese", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
        "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "sv": "Swedish",
        "ja": "Japanese", "zh": "Chinese", "ko": "Korean", "hi": "Hindi", "bn": "Bengali", "ar": "Arabic",
        "he": "Hebrew", "fa": "Persian", "ur": "Urdu", "th": "Thai", "vi": "Vietnamese", "id": "Indonesian",
        "ms": "Malay", "el": "Greek", "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "fi": "Finnish",
        "da": "Danish", "nb": "Norwegian", "ca": "Catalan", "ta": "Tamil", "te": "Telugu", "sw": "Swahili",
    ]
}

/// How a language is written, which decides how its text is split, broken into lines and drawn.
public enum WritingSystem: String, Sendable, Hashable, Codable, CaseIterable {
    /// Latin, Greek and Cyrillic alphabets: words separated by spaces, left to right.
    case latin
    /// Japanese (kanji and kana): no spaces between words.
    case japanese
    /// Chinese (Han): no spaces between words.
    case chinese
    /// Korean (Hangul): words separated by spaces.
    case korean
    /// Arabic script (Arabic, Persian, Urdu): right to left, words separated by spaces.
    case arabic
    /// Hebrew: right to left, words separated by spaces.
    case hebrew
    /// Devanagari (Hindi, Marathi, Nepali) and other Indic scripts: spaces between words.
    case devanagari
    /// Thai: no spaces between words.
    case thai

    /// Whether lines run right to left.
    public var isRightToLeft: Bool { self == .arabic || self == .hebrew }

    /// Whether words are separated by spaces (so a line breaks between words, not characters).
    public var separatesWords: Bool { !(self == .japanese || self == .chinese || self == .thai) }
}

extension LanguageTag {
    /// The writing system of this language's usual script.
    public var writingSystem: WritingSystem {
        switch language {
        case "ja": return .japanese
        case "zh", "yue", "cmn": return .chinese
        case "ko": return .korean
        case "ar", "fa", "ur", "ps", "ug", "sd": return .arabic
        case "he", "yi": return .hebrew
        case "hi", "mr", "ne", "sa", "bn", "pa", "gu", "ta", "te", "kn", "ml", "or", "si": return .devanagari
        case "th", "lo", "km", "my": return .thai
        default: return .latin
        }
    }

    /// The espeak-ng voice that speaks this language (`pt-br`, `ja`, `cmn`), as `espeak-ng --voices` names it.
    ///
    /// espeak-ng knows over a hundred languages; a tag it does not know still gives the lower-cased
    /// language subtag, and espeak-ng's own error then names the problem.
    public var espeakVoice: String {
        switch (language, region) {
        case ("en", "GB"): return "en-gb"
        case ("en", _): return "en-us"
        case ("pt", "PT"): return "pt"
        case ("pt", _): return "pt-br"
        case ("es", "419"), ("es", "MX"), ("es", "AR"), ("es", "CO"), ("es", "CL"), ("es", "PE"): return "es-419"
        case ("es", _): return "es"
        case ("fr", "BE"): return "fr-be"
        case ("fr", "CH"): return "fr-ch"
        case ("fr", _): return "fr-fr"
        case ("zh", _) where region == "HK": return "yue"
        case ("zh", _), ("cmn", _): return "cmn"
        default: return language
        }
    }
}
