import Foundation

extension TextNormalizer {
    /// `normalize(text)`: the text with times, dates, units, money, abbreviations, numerals and symbols
    /// spelled out, whitespace collapsed and trimmed.
    func callAsFunction(_ input: String) -> String {
        var text = Self.collapsingWhitespace(input)
        if text.isEmpty { return text }
        text = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar -> Unicode.Scalar in
                    switch scalar {
                    case "\u{A0}": " "
                    case "\u{2019}": "'"
                    case "\u{2012}": "-"
                    case "\u{2015}": "\u{2014}"
                    default: scalar
                    }
                }
            )
        )
        func has(_ characters: String) -> Bool {
            text.unicodeScalars.contains { characters.unicodeScalars.contains($0) }
        }
        func hasDigit() -> Bool { text.unicodeScalars.contains(where: \.pyIsDecimal) }

        if has(":") && hasDigit() { text = time.sub(text, spellTime) }
        if has("-") && hasDigit() {
            text = dateISO.sub(text) {
                self.date($0.group(1), Self.int($0.group(2)), Self.int($0.group(3))) ?? $0.whole
            }
        }
        if has("/") && hasDigit() { text = dateUS.sub(text, spellDateUS) }
        if has("$£€") && hasDigit() { text = bigMoney.sub(text, spellBigMoney) }
        if has("¢") && hasDigit() {
            text = cents.sub(text) { match in
                let amount = match.group(1) ?? ""
                return amount + " " + Self.plural(amount, self.currencyWords["¢"] ?? ["cent", "cents"])
            }
        }
        if hasDigit() { text = currency.sub(text, spellCurrency) }
        if has("°") && hasDigit() { text = degrees.sub(text, spellDegrees) }
        if hasDigit() {
            text = unit.sub(text) { match in
                let amount = match.group(1) ?? ""
                return amount + " " + Self.plural(amount, self.units[match.group(2) ?? ""] ?? ["", ""])
            }
            text = monthDay.sub(text, spellMonthDay)
            text = dayMonth.sub(text, spellDayMonth)
        }
        text = title.sub(text) { (self.titles[$0.group(1) ?? ""] ?? "") + " " }
        text = abbreviation.sub(text) { match in
            let key = match.group(1) ?? ""
            return (self.abbreviations[key] ?? key) + (match.endsText && key.hasSuffix(".") ? "." : "")
        }
        if has("N") && hasDigit() { text = numberSign.sub(text) { $0.group(1) == "No" ? "Number " : "Numbers " } }
        if has("#") && hasDigit() { text = hash.sub(text, literal: "number ") }
        if has("IVXLC") {
            text = romanCardinal.sub(text) { ($0.group(1) ?? "") + " " + String(Self.roman($0.group(2) ?? "")) }
            text = romanOrdinal.sub(text) {
                ($0.group(1) ?? "") + " the " + NumberWords.ordinal(Self.roman($0.group(2) ?? ""))
            }
        }
        if has("-") && hasDigit() {
            text = phone.sub(text) { match in
                match.whole.pyReplacing("-", with: ", ").unicodeScalars.map { String($0) }.joined(separator: " ")
            }
        }
        if has("/") && hasDigit() { text = fraction.sub(text, spellFraction) }
        if has("-–") && hasDigit() { text = range.sub(text) { ($0.group(1) ?? "") + " to " + ($0.group(2) ?? "") } }
        if has("+") && hasDigit() { text = plus.sub(text, literal: "plus ") }
        for (symbol, words) in symbols where text.pyContains(symbol) {
            let replacement = words.isEmpty ? " " : " " + words + " "
            if let spaced = spacedSymbols[symbol] {
                text = spaced.sub(text, literal: replacement)
            } else {
                text = text.pyReplacing(symbol, with: replacement)
            }
        }
        return Self.joiningPunctuation(Self.collapsingWhitespace(text))
    }

    /// `RE_WS.sub(" ", text).strip()`.
    static func collapsingWhitespace(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.pyIsSpace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `RE_SPACE_PUNCT.sub(r"\1", text)`: no spaces before , . ; : ! ?
    static func joiningPunctuation(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == " " {
                var end = index
                while end < scalars.count && scalars[end] == " " { end += 1 }
                if end < scalars.count && ",.;:!?".unicodeScalars.contains(scalars[end]) {
                    index = end
                    continue
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    /// `int(text)` for a run of decimal digits of any script.
    static func int(_ text: String?) -> Int {
        (text ?? "").unicodeScalars.reduce(0) { $0 * 10 + Int($1.properties.numericValue ?? 0) }
    }

    /// `_plural`: the singular for 1, 1.0 and -1.
    static func plural(_ amount: String, _ words: [String]) -> String {
        ["1", "1.0", "-1"].contains(amount.pyReplacing(",", with: "")) ? words[0] : words[1]
    }

    static func roman(_ numeral: String) -> Int {
        let values: [Unicode.Scalar: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
        let digits = numeral.unicodeScalars.map { values[$0] ?? 0 }
        var total = 0
        for (index, value) in digits.enumerated() {
            total += index + 1 < digits.count && digits[index + 1] > value ? -value : value
        }
        return total
    }
}
