import CWordBreaks
import Foundation

/// Splits narration text into the words a narrator speaks and captions show, in any script.
///
/// Text written with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul) is split at
/// whitespace, and a token of punctuation only joins the word before it, so `R$ 9,90.` stays
/// `R$`, `9,90.`; inside a stretch without spaces an opening bracket or quote joins the word after
/// it (`「こんにちは」` stays one word). Stretches in a script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar)
/// are split further by ICU's word break iterator, which uses ICU's dictionaries for those scripts
/// (Debian's libicu, through the `CWordBreaks` C target): `我们今天去公园散步。` gives `我们`, `今天`, `去`,
/// `公园`, `散步。`. Should ICU fail to make its iterator, such a stretch falls back to one word per
/// grapheme cluster, which keeps every character and its order (captions break lines by characters
/// there anyway), only with finer word timings.
public enum WordSegmenter {
    /// The words of `text`, in order; every word has a letter or digit, punctuation rides on the word before.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        for token in text.split(whereSeparator: { $0.isWhitespace }) {
            let pieces = token.contains(where: isUnspaced) ? dictionaryWords(String(token)) : [String(token)]
            // Opening brackets and quotes ICU split off (`「`) go with the word after them.
            var opening = ""
            for piece in pieces {
                if piece.contains(where: { $0.isLetter || $0.isNumber }) {
                    words.append(opening + piece)
                    opening = ""
                } else if pieces.count > 1, piece.unicodeScalars.allSatisfy(opens) {
                    opening += piece
                } else if let last = words.popLast() {
                    words.append(last + opening + piece)
                    opening = ""
                }
            }
        }
        return words
    }

    /// Whether `scalar` opens a bracket or a quotation (`「`, `（`, `“`).
    private static func opens(_ scalar: Unicode.Scalar) -> Bool {
        [.openPunctuation, .initialPunctuation].contains(scalar.properties.generalCategory)
    }

    /// Whether `character` belongs to a script written without spaces between words.
    public static func isUnspaced(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return true  // kana, half-width katakana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return true  // Han
        case 0x0E00...0x0EFF, 0x1780...0x17FF, 0x1000...0x109F: return true  // Thai, Lao, Khmer, Myanmar
        default: return false
        }
    }

    /// ICU's words of one whitespace-free token, punctuation included as pieces of its own.
    static func dictionaryWords(_ token: String) -> [String] {
        let units = Array(token.utf16)
        var breaks = [Int32](repeating: 0, count: units.count + 1)
        let count = aishorts_word_breaks(locale(for: token), units, Int32(units.count), &breaks, Int32(breaks.count))
        guard count >= 2, breaks[0] == 0, breaks[Int(count) - 1] == Int32(units.count) else {
            return token.map { String($0) }
        }
        return (0..<Int(count) - 1).map { index in
            String(decoding: units[Int(breaks[index])..<Int(breaks[index + 1])], as: UTF16.self)
        }
    }

    /// The locale whose dictionary fits the token: kana means Japanese, Thai letters Thai, else Chinese.
    private static func locale(for token: String) -> String {
        for scalar in token.unicodeScalars {
            switch scalar.value {
            case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return "ja"
            case 0x0E00...0x0E7F: return "th"
            case 0x0E80...0x0EFF: return "lo"
            case 0x1780...0x17FF: return "km"
            case 0x1000...0x109F: return "my"
            default: continue
            }
        }
        return "zh"
    }
}
