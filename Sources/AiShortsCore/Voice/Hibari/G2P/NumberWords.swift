import Foundation

/// English number words as hibari's `numbers.py` spells them (num2words' cardinal, ordinal, year and
/// decimal), over digit strings so that numbers longer than `Int` are read as Python reads them.
enum NumberWords {
    static let ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let scales = [
        "", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion", "sextillion",
        "septillion", "octillion", "nonillion", "decillion",
    ]
    static let irregularOrdinals = [
        "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
        "twelve": "twelfth",
    ]

    private static func below1000(_ value: Int) -> [String] {
        var n = value
        var words: [String] = []
        if n >= 100 {
            words += [ones[n / 100], "hundred"]
            n %= 100
            if n != 0 { words.append("and") }
        }
        if n >= 20 {
            words.append(tens[n / 10] + (n % 10 != 0 ? "-" + ones[n % 10] : ""))
        } else if n != 0 || words.isEmpty {
            words.append(ones[n])
        }
        return words
    }

    /// `cardinal(n)`: 'one thousand, two hundred and thirty-four'.
    static func cardinal(_ n: Int) -> String {
        n < 0 ? "minus " + cardinal(digits: String(-n)) : cardinal(digits: String(n))
    }

    /// `cardinal(int(digits))` for a string of ASCII digits (leading zeros are ignored, as `int()` does).
    static func cardinal(digits: some StringProtocol) -> String {
        var values = digits.unicodeScalars.map(digitValue)
        while let first = values.first, first == 0 { values.removeFirst() }
        if values.count <= 3 {
            return below1000(values.reduce(0) { $0 * 10 + $1 }).joined(separator: " ")
        }
        var groups: [String] = []
        var end = values.count
        var scale = 0
        while end > 0 {
            let start = max(0, end - 3)
            let group = values[start..<end].reduce(0) { $0 * 10 + $1 }
            if group != 0 {
                // Past decillion Python raises IndexError; the scale is left out here instead.
                let name = scale < scales.count ? scales[scale] : ""
                groups.append(below1000(group).joined(separator: " ") + (scale > 0 ? " " + name : ""))
            }
            scale += 1
            end = start
        }
        groups.reverse()
        guard let last = groups.last else { return "zero" }
        let afterAnd = last.components(separatedBy: " and ").last ?? last
        if groups.count > 1 && !afterAnd.contains(" ") && !last.contains("hundred") {
            return groups.dropLast().joined(separator: ", ") + " and " + last
        }
        return groups.joined(separator: ", ")
    }

    /// The value of a decimal digit of any script, as Python's `int()` reads it. Python raises for other
    /// characters (`²`, `①`); the port reads them as 0 rather than fail.
    static func digitValue(_ scalar: Unicode.Scalar) -> Int {
        if scalar.isASCIIDigit { return Int(scalar.value) - 48 }
        guard scalar.pyIsDecimal, let value = scalar.properties.numericValue, (0...9).contains(value) else { return 0 }
        return Int(value)
    }

    /// `ordinal(n)`: 'twenty-third', 'one hundred and first', 'thousandth'.
    static func ordinal(_ n: Int) -> String { ordinal(cardinal: cardinal(n)) }

    /// `ordinal(int(digits))`.
    static func ordinal(digits: some StringProtocol) -> String { ordinal(cardinal: cardinal(digits: digits)) }

    private static func ordinal(cardinal words: String) -> String {
        let (head, last) = rpartition(words, " ")
        let ordinalLast: String
        if last.contains("-") {
            let (a, b) = rpartition(last, "-")
            ordinalLast = a + ordinalWord(b)
        } else {
            ordinalLast = ordinalWord(last)
        }
        return head + ordinalLast
    }

    /// `head + sep` and `tail` of Python's `rpartition` (head keeps the separator).
    private static func rpartition(_ text: String, _ separator: Character) -> (String, String) {
        guard let index = text.lastIndex(of: separator) else { return ("", text) }
        return (String(text[...index]), String(text[text.index(after: index)...]))
    }

    private static func ordinalWord(_ word: String) -> String {
        if let irregular = irregularOrdinals[word] { return irregular }
        if word.hasSuffix("y") { return word.dropLast() + "ieth" }
        return word + "th"
    }

    /// `year(n)`: 'nineteen oh-five', 'two thousand and five', 'twenty ten'.
    static func year(_ n: Int) -> String {
        let high = n / 100
        let low = n % 100
        if high == 0 || (high % 10 == 0 && low < 10) || high >= 100 { return cardinal(n) }
        let lowText = low == 0 ? "hundred" : low < 10 ? "oh-" + cardinal(low) : cardinal(low)
        return cardinal(high) + " " + lowText
    }

    /// `decimal(s)`: '3.14' -> 'three point one four'; trailing zeros dropped as `float()` would.
    static func decimal(_ text: String) -> String {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts[0]
        var fraction = Substring(parts.count > 1 ? parts[1] : "")
        while fraction.last == "0" { fraction = fraction.dropLast() }
        var words = cardinal(digits: integer.isEmpty ? "0" : integer)
        if !fraction.isEmpty {
            words += " point " + fraction.unicodeScalars.map { ones[digitValue($0)] }.joined(separator: " ")
        }
        return words
    }
}
