/// Tells whether text is written in the language it should be, cheaply and without a model.
///
/// Two tests, by how the language is written:
/// - **Script.** For languages outside the Latin alphabet, most letters must be in the language's
///   script: kana and kanji for Japanese (with some kana, which Chinese lacks), Han without kana for
///   Chinese, Hangul, Arabic, Hebrew, the Indic scripts, Thai, Cyrillic, Greek.
/// - **Stop words.** For Latin-alphabet languages, the share of the text's words that are the
///   language's commonest small words ("não", "que", "uma" for Portuguese) must be at least 12%, and
///   no other known language's share may beat it by more than 5 points; the message names the
///   language the text reads as (most often English, when a model ignored the instruction).
///   Known lists: English, Portuguese, Spanish, French, German, Italian, Dutch. Other Latin-alphabet
///   languages are checked only for not reading as English.
public enum LanguageCheck {
    /// Why `text` is not in `language`, on one line, or nil when it is (or is too short to judge).
    public static func problem(_ text: String, expected language: LanguageTag) -> String? {
        let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
        guard letters.count >= 12 else { return nil }
        let name = language.englishName
        if let scripts = scripts(of: language) {
            let inScript = letters.filter { scalar in scripts.contains { $0.contains(scalar.value) } }.count
            if Double(inScript) / Double(letters.count) < 0.5 {
                return "it is not written in \(name) (\(inScript) of \(letters.count) letters are in its script)"
            }
            let kana = letters.filter { (0x3040...0x30FF).contains($0.value) }.count
            if language.language == "ja", Double(kana) / Double(letters.count) < 0.1 {
                return "it reads as Chinese, not Japanese (almost no kana)"
            }
            if language.writingSystem == .chinese, Double(kana) / Double(letters.count) > 0.05 {
                return "it reads as Japanese, not Chinese (it has kana)"
            }
            return nil
        }
        let latin = letters.filter { $0.value < 0x0250 || (0x1E00...0x1EFF).contains($0.value) }.count
        if Double(latin) / Double(letters.count) < 0.85 { return "it is not written in \(name) (most letters are not Latin)" }
        let words = text.lowercased().split { !($0.isLetter || $0 == "'" || $0 == "’") }.map(String.init)
        guard words.count >= 8 else { return nil }
        let shares = stopWords.mapValues { list in Double(words.filter(list.contains).count) / Double(words.count) }
        guard let own = shares[language.language] else {
            return language.language != "en" && (shares["en"] ?? 0) >= 0.25 ? "it reads as English, not \(name)" : nil
        }
        if let (other, share) = shares.filter({ $0.key != language.language }).max(by: { $0.value < $1.value }),
            share > own + 0.05
        {
            return "it reads as \(LanguageTag.names[other] ?? other), not \(name)"
        }
        if own < 0.12 { return "it does not read as \(name) (too few of its common words)" }
        return nil
    }

    /// The Unicode ranges of the scripts a non-Latin language is written in; nil for the Latin alphabet.
    static func scripts(of language: LanguageTag) -> [ClosedRange<UInt32>]? {
        switch language.language {
        case "ru", "uk", "bg", "be", "mk", "sr", "kk", "ky", "mn", "tg": return [0x0400...0x052F]
        case "el": return [0x0370...0x03FF, 0x1F00...0x1FFF]
        default: break
        }
        switch language.writingSystem {
        case .latin: return nil
        case .japanese: return [0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF66...0xFF9F]
        case .chinese: return [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F]
        case .korean: return [0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF]
        case .arabic: return [0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF]
        case .hebrew: return [0x0590...0x05FF, 0xFB1D...0xFB4F]
        case .devanagari: return [0x0900...0x0DFF]
        case .thai: return [0x0E00...0x0EFF, 0x1780...0x17FF, 0x1000...0x109F]
        }
    }

    /// Each known language's commonest short words, chosen to tell the languages apart.
    static let stopWords: [String: Set<String>] = [
        "en": ["the", "and", "is", "are", "of", "to", "that", "it", "with", "for", "this", "was", "you", "they", "on",
               "be", "have", "from", "their", "what", "which", "but", "not", "its", "it's", "can", "by", "an", "or", "in"],
        "pt": ["não", "que", "do", "da", "dos", "das", "em", "um", "uma", "para", "com", "é", "os", "no", "na", "mais",
               "por", "seu", "sua", "você", "isso", "mas", "ao", "também", "são", "como", "o", "e", "ele", "ela", "nos"],
        "es": ["el", "los", "las", "que", "y", "en", "un", "una", "es", "por", "con", "para", "no", "se", "del", "al",
               "lo", "su", "más", "pero", "como", "son", "muy", "también", "la", "este", "esta", "hay", "sus"],
        "fr": ["le", "les", "des", "et", "est", "un", "une", "du", "que", "qui", "pas", "pour", "dans", "sur", "au",
               "avec", "ce", "il", "elle", "vous", "nous", "sont", "mais", "plus", "la", "aux", "ne", "cette", "leur"],
        "de": ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit", "sich", "des",
               "auf", "für", "im", "dem", "es", "sie", "auch", "als", "wie", "sind", "aber", "einen", "wird", "kann"],
        "it": ["il", "lo", "gli", "di", "che", "e", "è", "un", "una", "per", "non", "con", "del", "della", "sono",
               "si", "ma", "anche", "più", "come", "dei", "nel", "questo", "la", "le", "alla", "ha", "sua"],
        "nl": ["de", "het", "een", "en", "van", "is", "niet", "dat", "op", "te", "zijn", "met", "voor", "ook",
               "maar", "als", "er", "die", "wordt", "kan", "bij", "naar", "heeft"],
    ]
}
