/// Turns Japanese pronunciations (katakana, as open_jtalk gives them) into the phonemes Kokoro's
/// Japanese voices were trained on.
///
/// Kokoro v1.0 learned Japanese from misaki's romaniser, whose conventions are followed here: a mora
/// is an onset and a vowel (`a i ɯ e o`, with `ɨ` after `s`, `z`, `ʦ` and in palatal `-yu` morae);
/// the i-column palatalises its onset (`kʲi`, `ɕi`, `ʨi`, `ɲi`, `çi`), and a small ya/yu/yo or
/// small vowel after a kana keeps that kana's onset with the small kana's vowel (`kʲa`, `ɕe`, `ɸa`,
/// `tʲi`); `ー` lengthens (`ː`), `ッ` is a glottal stop (`ʔ`), and `ン` takes the place of the next
/// consonant (`m`, `ŋ`, `ɲ`, `n`) or is uvular (`ɴ`).
enum KanaPhonemes {
    /// A kana's onset and its vowel column (0 a, 1 i, 2 u, 3 e, 4 o).
    struct Mora: Sendable, Hashable {
        var onset: String
        var column: Int
    }

    private static let vowels = ["a", "i", "ɯ", "e", "o"]

    /// The gojūon rows, five kana each (`_` where a row has no kana), with the onset of each column.
    private static let rows: [(kana: String, onsets: [String])] = [
        ("アイウエオ", ["", "", "", "", ""]),
        ("カキクケコ", ["k", "kʲ", "k", "k", "k"]),
        ("ガギグゲゴ", ["ɡ", "ɡʲ", "ɡ", "ɡ", "ɡ"]),
        ("サシスセソ", ["s", "ɕ", "s", "s", "s"]),
        ("ザジズゼゾ", ["ʣ", "ʥ", "z", "ʣ", "ʣ"]),
        ("タチツテト", ["t", "ʨ", "ʦ", "t", "t"]),
        ("ダヂヅデド", ["d", "ʥ", "z", "d", "d"]),
        ("ナニヌネノ", ["n", "ɲ", "n", "n", "n"]),
        ("ハヒフヘホ", ["h", "ç", "ɸ", "h", "h"]),
        ("バビブベボ", ["b", "bʲ", "b", "b", "b"]),
        ("パピプペポ", ["p", "pʲ", "p", "p", "p"]),
        ("マミムメモ", ["m", "mʲ", "m", "m", "m"]),
        ("ヤ_ユ_ヨ", ["j", "", "j", "", "j"]),
        ("ラリルレロ", ["ɾ", "ɾʲ", "ɾ", "ɾ", "ɾ"]),
        ("ワヰ_ヱヲ", ["β", "", "", "", ""]),
        ("ヷヸヴヹヺ", ["v", "vʲ", "v", "v", "v"]),
        ("ヵ__ヶ_", ["", "", "", "", ""]),
    ]

    /// Every full-size kana's mora.
    static let table: [Character: Mora] = {
        var table: [Character: Mora] = [:]
        for row in rows {
            for (column, kana) in row.kana.enumerated() where kana != "_" {
                table[kana] = Mora(onset: row.onsets[column], column: column)
            }
        }
        table["ヵ"] = Mora(onset: "k", column: 0)
        table["ヶ"] = Mora(onset: "k", column: 3)
        table["ヮ"] = Mora(onset: "β", column: 0)
        return table
    }()

    /// Small kana that change the kana before them, with the vowel column they bring.
    static let small: [Character: (column: Int, glide: Bool)] = [
        "ャ": (0, true), "ュ": (2, true), "ョ": (4, true),
        "ァ": (0, false), "ィ": (1, false), "ゥ": (2, false), "ェ": (3, false), "ォ": (4, false),
    ]

    /// The vowel of `column` after `onset`: `ɨ` for u after s, z and ʦ, and after a palatal onset.
    static func vowel(_ column: Int, after onset: String) -> String {
        guard column == 2 else { return vowels[column] }
        return ["s", "z", "ʦ"].contains(onset) ? "ɨ" : "ɯ"
    }

    /// The phonemes of a small kana `small` after `kana` (`キ`+`ャ` is `kʲa`), or nil when the pair is
    /// not one mora.
    static func digraph(_ kana: Character, _ mora: Mora, _ small: (column: Int, glide: Bool)) -> String? {
        let u = small.column == 2
        switch mora.column {
        case 1 where mora.onset.isEmpty:
            // イェ
            return small.column == 3 && !small.glide ? "je" : nil
        case 1:
            // The i-column's palatal onset with the small kana's vowel (a palatal yu is ɨ).
            let onset = mora.onset
            return onset + (u ? "ɨ" : vowels[small.column])
        case 2:
            if small.glide {
                // フュ, フョ, ヴュ: a palatal onset.
                guard kana == "フ" || kana == "ヴ" else { return nil }
                return mora.onset + "ʲ" + (u ? "ɨ" : vowels[small.column])
            }
            let onset: String = switch kana {
            case "ウ": "β"
            case "ク": "kᵝ"
            case "グ": "ɡᵝ"
            default: mora.onset
            }
            guard !onset.isEmpty, !u else { return nil }
            // フィ, ツィ, ヴィ keep a palatal i.
            return small.column == 1 && ["ɸ", "ʦ", "v"].contains(onset) ? onset + "ʲi" : onset + vowels[small.column]
        case 3 where kana == "テ" || kana == "デ":
            // ティ, ディ, テュ, デュ
            if small.column == 1 && !small.glide { return mora.onset + "ʲi" }
            if u && small.glide { return mora.onset + "ʲɨ" }
            return nil
        case 4 where kana == "ト" || kana == "ド":
            // トゥ, ドゥ
            return u && !small.glide ? mora.onset + "ɯ" : nil
        default:
            return nil
        }
    }

    /// The phonemes of a pronunciation in katakana (hiragana is accepted too); other characters are skipped.
    static func phonemes(_ pronunciation: String) -> String {
        let kana = pronunciation.map(katakana)
        var segments: [String] = []
        var nasals: [Int] = []   // segments that are ン, resolved once the next mora is known
        var index = 0
        while index < kana.count {
            let character = kana[index]
            defer { index += 1 }
            switch character {
            case "ン": nasals.append(segments.count); segments.append("ɴ")
            case "ッ": segments.append("ʔ")
            case "ー": segments.append("ː")
            default:
                if let mora = table[character] {
                    if index + 1 < kana.count, let next = small[kana[index + 1]], let pair = digraph(character, mora, next) {
                        segments.append(pair)
                        index += 1
                    } else {
                        segments.append(mora.onset + vowel(mora.column, after: mora.onset))
                    }
                } else if let alone = small[character] {
                    segments.append(alone.glide ? "j" + vowels[alone.column] : vowels[alone.column])
                }
            }
        }
        for nasal in nasals where nasal + 1 < segments.count {
            segments[nasal] = place(before: segments[nasal + 1])
        }
        return segments.joined()
    }

    /// ン before a mora: the next consonant's place, or uvular before vowels and at the end.
    static func place(before next: String) -> String {
        guard let first = next.unicodeScalars.first else { return "ɴ" }
        switch first {
        case "m", "p", "b": return "m"
        case "k", "ɡ": return "ŋ"
        case "ɲ", "ʨ", "ʥ": return "ɲ"
        case "n", "t", "d", "ɾ", "z": return "n"
        default: return "ɴ"
        }
    }

    /// Hiragana as katakana (the blocks are 0x60 apart); anything else unchanged.
    static func katakana(_ character: Character) -> Character {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
              (0x3041...0x3096).contains(scalar.value) || scalar.value == 0x309D || scalar.value == 0x309E,
              let shifted = Unicode.Scalar(scalar.value + 0x60) else { return character }
        return Character(shifted)
    }

    /// What a symbol says in Kokoro's phonemes: its punctuation mark, or nothing.
    static func punctuation(_ surface: String) -> String {
        var out = ""
        for character in surface {
            switch character {
            case "。", "．", ".": out += "."
            case "、", "，", ",": out += ","
            case "？", "?": out += "?"
            case "！", "!": out += "!"
            case "：", ":": out += ":"
            case "；", ";": out += ";"
            case "「", "『", "“": out += "“"
            case "」", "』", "”": out += "”"
            case "～", "〜", "—", "―": out += "—"
            case "…", "‥": out += "…"
            default: break
            }
        }
        return out
    }
}
