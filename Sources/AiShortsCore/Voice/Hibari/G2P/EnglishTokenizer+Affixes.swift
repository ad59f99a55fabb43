import Foundation

// hibari's PREFIXES / SUFFIXES / INFIXES regexes, evaluated by hand. Python tries the alternatives of
// each pattern in order at each position and takes the leftmost match; the rules below give the same
// answers (every alternative but the dot runs is at most four code points long).

extension EnglishTokenizer {
    private static func set(_ text: String) -> Set<Unicode.Scalar> { Set(text.unicodeScalars) }

    static let quotes = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉"
    static let punctuation = "…,:;!?¿¡()[]{}<>_#*&。？！，、；：～·"
    static let icons = "™®©°§¶†‡•"
    static let currencySymbols = "$£€¥฿₽₹₩₪₺₴₦₫₱₲₵₸₼₾₿"
    static let longCurrencies: [[Unicode.Scalar]] = ["US$", "C$", "A$"].map { Array($0.unicodeScalars) }
    static let units: Set<String> = [
        "km", "km²", "km³", "m", "m²", "m³", "dm", "dm²", "dm³", "cm", "cm²", "cm³", "mm", "mm²", "mm³", "ha", "µm",
        "nm", "yd", "in", "ft", "kg", "g", "mg", "µg", "t", "lb", "oz", "m/s", "km/h", "kmh", "mph", "hPa", "Pa",
        "mbar", "mb", "MB", "kb", "KB", "gb", "GB", "tb", "TB", "T", "G", "M", "K", "%",
    ]

    /// Single code points that are a whole prefix.
    static let prefixScalars = set("§%=—–…" + punctuation + quotes + currencySymbols + icons)
    /// Single code points that are a whole suffix.
    static let suffixScalars = set("…" + punctuation + quotes + icons + "—–")
    static let twoScalarSuffixes: Set<String> = ["……", "'s", "'S", "’s", "’S"]
    /// What may stand before a final period that is split off (`[0-9a-zß-öø-ÿ%²\-\+…]` plus quotes).
    static let beforeFinalPeriod = set("%²-+" + punctuation + quotes)
    static let quoteScalars = set(quotes)
    static let iconScalars = set(icons)

    /// Length of the prefix at the start of `s`, 0 for none.
    static func prefixLength(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        guard let first = s.first else { return 0 }
        let rest = s.dropFirst()
        if prefixScalars.contains(first) { return 1 }
        if first == "+" { return rest.first?.isASCIIDigit == true ? 0 : 1 }
        if first == ".", rest.first == "." { return 1 + rest.prefix { $0 == "." }.count }
        for currency in longCurrencies where s.starts(with: currency) { return currency.count }
        return 0
    }

    /// Length of the suffix at the end of `slice`, 0 for none.
    static func suffixLength(_ slice: ArraySlice<Unicode.Scalar>) -> Int {
        let s = Array(slice)
        let n = s.count
        guard n > 0 else { return 0 }
        var runStart = n
        while runStart > 0 && s[runStart - 1] == "." { runStart -= 1 }
        let dotRun = n - runStart >= 2 ? runStart : -1
        for start in 0..<n where start >= n - 4 || start == dotRun {
            if start == dotRun || suffixMatches(s, at: start) { return n - start }
        }
        return 0
    }

    private static func suffixMatches(_ s: [Unicode.Scalar], at start: Int) -> Bool {
        let tail = s[start...]
        let before = start > 0 ? s[start - 1] : nil
        let afterDigit = before?.isASCIIDigit == true
        if tail.count == 1, let c = tail.first {
            if suffixScalars.contains(c) { return true }
            if c == "+" && afterDigit { return true }
            if c == "." {
                if start >= 2 && s[start - 2] == "°" && "FfCcKk".unicodeScalars.contains(s[start - 1]) { return true }
                if let before, before.isASCIIDigit || before.isLatinLower || beforeFinalPeriod.contains(before) {
                    return true
                }
                if start >= 2 && s[start - 1].isLatinUpper && s[start - 2].isLatinUpper { return true }
            }
        }
        let text = string(tail)
        if tail.count == 2 && twoScalarSuffixes.contains(text) { return true }
        if afterDigit {
            if tail.count == 1, let c = tail.first, currencySymbols.unicodeScalars.contains(c) { return true }
            if longCurrencies.contains(where: { $0.elementsEqual(tail) }) { return true }
            if units.contains(text) { return true }
        }
        return false
    }

    /// The pieces of `s` around its infixes (`finditer`; a match at position 0 is not split off).
    static func splitInfixes(_ s: [Unicode.Scalar]) -> [String] {
        var pieces: [String] = []
        var start = 0
        var index = 0
        while index < s.count {
            guard let length = infixLength(s, at: index) else {
                index += 1
                continue
            }
            if index > 0 {
                if index > start { pieces.append(string(s[start..<index])) }
                pieces.append(string(s[index..<(index + length)]))
                start = index + length
            }
            index += length
        }
        if start < s.count { pieces.append(string(s[start...])) }
        return pieces
    }

    private static func infixLength(_ s: [Unicode.Scalar], at index: Int) -> Int? {
        let c = s[index]
        let before = index > 0 ? s[index - 1] : nil
        let next = index + 1 < s.count ? s[index + 1] : nil
        if c == ".", next == "." {
            var end = index + 1
            while end < s.count && s[end] == "." { end += 1 }
            return end - index
        }
        if c == "…" || iconScalars.contains(c) { return 1 }
        if let before, before.isASCIIDigit, "+-*^".unicodeScalars.contains(c),
            let next, next.isASCIIDigit || next == "-"
        {
            return 1
        }
        if c == ".", let before, before.isLatinLower || quoteScalars.contains(before),
            let next, next.isLatinUpper || quoteScalars.contains(next)
        {
            return 1
        }
        if c == ",", let before, before.pyIsLetterClass, let next, next.pyIsLetterClass { return 1 }
        guard let before, before.pyIsAlnumClass else { return nil }
        for dash in ["-", "–", "—", "--", "---", "——", "~"] {
            let dash = Array(dash.unicodeScalars)
            let end = index + dash.count
            if end < s.count && s[index..<end].elementsEqual(dash) && s[end].pyIsLetterClass { return dash.count }
        }
        if ":<>=/".unicodeScalars.contains(c), let next, next.pyIsLetterClass { return 1 }
        return nil
    }

    private static let url = PythonRegex(
        #"^(?:(?:https?|ftp)://|www\.)\S+$|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"#
            + #"|^(?:[\w-]+\.)+(?:com|org|net|edu|gov|io|co|uk|de|fr|info|biz|us|ca|au|tv|me|ly|ai)(?:/\S*)?$"#,
        caseInsensitive: true
    )

    /// hibari's `URL.match`: web addresses and e-mail addresses stay whole.
    static func isURL(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        // Every alternative needs one of these; most words have none and skip the regex.
        guard s.contains(where: { $0 == "." || $0 == "@" || $0 == ":" }) else { return false }
        return url.firstMatch(in: string(s)) != nil
    }
}
