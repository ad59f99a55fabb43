import Foundation

/// hibari's text normaliser (`normalize.py`): spells out what the lexicon cannot read on its own —
/// times, dates, units, other currencies, abbreviations, titles, Roman numerals, phone numbers, ranges,
/// fractions and symbols — before the text is tokenized.
///
/// The word tables come from `normalize.json`; the regexes are hibari's, in Python syntax, run through
/// ``PythonRegex``. Rules that need a digit (or another character) are skipped when the text has none,
/// which cannot change the result and saves most of the regex calls.
struct TextNormalizer: Sendable {
    let months: [(key: String, value: String)]
    let monthNames: [String]
    /// Title → expansion ("St" → "Saint"); also what the sentence splitter treats as "Dr." etc.
    let titles: [String: String]
    let abbreviations: [String: String]
    let units: [String: [String]]
    /// Symbol → words, in file order (the replacements run in that order).
    let symbols: [(symbol: String, words: String)]
    let currencyWords: [String: [String]]

    let time: PythonRegex
    let dateUS: PythonRegex
    let dateISO: PythonRegex
    let monthDay: PythonRegex
    let dayMonth: PythonRegex
    let unit: PythonRegex
    let degrees: PythonRegex
    let cents: PythonRegex
    let currency: PythonRegex
    let bigMoney: PythonRegex
    let title: PythonRegex
    let abbreviation: PythonRegex
    let numberSign: PythonRegex
    let hash: PythonRegex
    let romanCardinal: PythonRegex
    let romanOrdinal: PythonRegex
    let phone: PythonRegex
    let range: PythonRegex
    let fraction: PythonRegex
    let plus: PythonRegex
    /// `(?<=\S) ?<sym> ?(?=\S)` for the symbols read only between words (`=<>~`).
    let spacedSymbols: [String: PythonRegex]

    /// Reads `normalize.json` and compiles the rules.
    init(assets: URL) throws {
        let table = try HibariAssets.parse("normalize.json", in: assets) { try $0.readValue() }
        func pairs(_ key: String) throws -> [(key: String, value: JSONValue)] {
            guard let members = table[key]?.object else {
                throw VoiceError(.engineFailed, "hibari asset normalize.json has no \"\(key)\" table")
            }
            return members
        }
        func strings(_ value: JSONValue) -> [String] { value.array?.compactMap(\.string) ?? [] }
        months = try pairs("months").map { ($0.key, $0.value.string ?? "") }
        monthNames = months.map(\.value)
        let titleList = try pairs("titles").map { ($0.key, $0.value.string ?? "") }
        titles = Dictionary(titleList, uniquingKeysWith: { first, _ in first })
        let abbreviationList = try pairs("abbreviations").map { ($0.key, $0.value.string ?? "") }
        abbreviations = Dictionary(abbreviationList, uniquingKeysWith: { first, _ in first })
        let unitList = try pairs("units").map { ($0.key, strings($0.value)) }
        units = Dictionary(unitList, uniquingKeysWith: { first, _ in first })
        symbols = try pairs("symbols").map { ($0.key, $0.value.string ?? "") }
        currencyWords = Dictionary(
            try pairs("currency").map { ($0.key, strings($0.value)) },
            uniquingKeysWith: { first, _ in first }
        )
        let romanCardinals = strings(table["roman_cardinal"] ?? .null)
        let romanOrdinals = strings(table["roman_ordinal"] ?? .null)
        guard monthNames.count == 12, units.values.allSatisfy({ $0.count == 2 }),
            currencyWords.values.allSatisfy({ $0.count == 2 })
        else { throw VoiceError(.engineFailed, "hibari asset normalize.json has malformed tables") }

        let monthAlternatives = Self.alternatives(monthNames + months.map { $0.key.pyCapitalize } + ["Sept"])
        let number = #"\d+(?:,\d{3})*(?:\.\d+)?"#
        let big = #"(hundred|thousand|million|billion|trillion|[kKmMbB]\b)"#
        let roman = #"((?=[IVXLC])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"#
        time = PythonRegex(#"\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?(?!\d)"#)
        dateUS = PythonRegex(#"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"#)
        dateISO = PythonRegex(#"\b(\d{4})-(\d{2})-(\d{2})\b"#)
        monthDay = try PythonRegex(
            checking: #"\b("# + monthAlternatives + #")\.? (\d{1,2})(?:st|nd|rd|th)?\b(?![\d:%])(,? \d{4}\b)?"#
        )
        dayMonth = try PythonRegex(checking: #"\b(the )?(\d{1,2}) (?:of )?("# + monthAlternatives + #")\b\.?"#)
        unit = try PythonRegex(
            checking: #"(?<![\w.])(-?"# + number + #")\s?("# + Self.alternatives(unitList.map(\.0)) + #")(?![\w])"#
        )
        degrees = PythonRegex(#"(?<![\w.])(-?"# + number + #")\s?°\s?([CF])?(?![\w])"#)
        cents = PythonRegex(#"(?<![\w.])("# + number + #")\s?¢"#)
        currency = PythonRegex(#"(?<![\w])([¥₹₩]|Rs\.?|USD|EUR|GBP)\s?("# + number + #")(?:\s?"# + big + ")?")
        bigMoney = PythonRegex(#"([$£€])("# + number + #")\s?"# + big)
        title = try PythonRegex(checking: #"\b("# + Self.alternatives(titleList.map(\.0)) + #")\.? (?=[A-Z])"#)
        abbreviation = try PythonRegex(
            checking: #"(?<![\w.])("# + Self.alternatives(abbreviationList.map(\.0)) + #")(?![\w])"#
        )
        numberSign = PythonRegex(#"\b(No|Nos)\. ?(?=\d)"#)
        hash = PythonRegex(#"(?<![\w&])#(?=\d)"#)
        romanCardinal = try PythonRegex(
            checking: #"\b("# + Self.alternatives(romanCardinals) + ") " + roman + #"\b(?![.'’]\w)"#
        )
        romanOrdinal = try PythonRegex(
            checking: #"\b("# + Self.alternatives(romanOrdinals) + ") " + roman + #"\b(?![.'’]\w)"#
        )
        phone = PythonRegex(#"(?<![\w.\-])(?:\d{3}-)?\d{3}-\d{4}(?![\w.\-])"#)
        range = PythonRegex(#"(?<![\w.\-])(\d{1,4})\s?[\-–]\s?(\d{1,4})(?![\w.\-%])"#)
        fraction = PythonRegex(#"(?<![\w./])(\d{1,2})/(\d{1,2})(?![\w./])"#)
        plus = PythonRegex(#"(?<![\w+])\+(?=\d)"#)
        var spaced: [String: PythonRegex] = [:]
        for (symbol, _) in symbols where symbol.unicodeScalars.count == 1 && "=<>~".contains(symbol) {
            spaced[symbol] = try PythonRegex(checking: #"(?<=\S) ?"# + PythonRegex.escape(symbol) + #" ?(?=\S)"#)
        }
        spacedSymbols = spaced
    }

    /// `_alt`: longest first (a stable sort, as Python's), escaped, joined with `|`.
    static func alternatives(_ words: [String]) -> String {
        words.enumerated()
            .sorted { a, b in
                let (la, lb) = (a.element.unicodeScalars.count, b.element.unicodeScalars.count)
                return la != lb ? la > lb : a.offset < b.offset
            }
            .map { PythonRegex.escape($0.element) }
            .joined(separator: "|")
    }
}
