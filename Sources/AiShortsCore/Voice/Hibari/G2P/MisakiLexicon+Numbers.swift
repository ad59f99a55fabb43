extension MisakiLexicon {
    /// `is_number`: digits with commas and periods, an optional leading minus on a head token, and an
    /// optional ending (-ing, 'd, -ed, 's, st/nd/rd/th, -s).
    static func isNumber(_ text: String, isHead: Bool) -> Bool {
        guard text.unicodeScalars.contains(where: \.isASCIIDigit) else { return false }
        var word = text
        for suffix in ["ing", "'d", "ed", "'s", "st", "nd", "rd", "th", "s"] where word.pyHasSuffix(suffix) {
            word = word.pyDropLast(suffix.unicodeScalars.count)
            break
        }
        return word.unicodeScalars.enumerated().allSatisfy { index, c in
            c.isASCIIDigit || c == "," || c == "." || (isHead && index == 0 && c == "-")
        }
    }

    private static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy(\.isASCIIDigit)
    }

    /// `get_number`: ordinals, years, digit-by-digit readings inside a token, money, decimals, cardinals.
    func getNumber(_ text: String, _ currency: String?, isHead: Bool) -> Reading {
        // The trailing run of [a-z'] is the ending ("th", "s", "'s").
        let scalars = Array(text.unicodeScalars)
        var suffixStart = scalars.count
        while suffixStart > 0, scalars[suffixStart - 1] == "'" || (0x61...0x7A).contains(scalars[suffixStart - 1].value)
        {
            suffixStart -= 1
        }
        let suffix: String? = suffixStart < scalars.count ? EnglishTokenizer.string(scalars[suffixStart...]) : nil
        var word = EnglishTokenizer.string(scalars[..<suffixStart])
        var result: [Reading] = []
        if word.hasPrefix("-") {
            result.append(lookup("minus", nil, nil, nil))
            word.removeFirst()
        }
        func extend(words: String) {
            for piece in Self.splitOnNonLetters(words) where piece != "and" {
                result.append(lookup(piece, nil, piece == "point" ? -2 : nil, nil))
            }
        }
        func extend(digits: some StringProtocol) { extend(words: NumberWords.cardinal(digits: digits)) }

        let isCurrency = currency.map { Self.currencies[$0] != nil } ?? false
        if Self.isDigits(word), let suffix, Self.ordinals.contains(suffix) {
            extend(words: NumberWords.ordinal(digits: word))
        } else if result.isEmpty && word.count == 4 && !isCurrency && Self.isDigits(word) {
            extend(words: NumberWords.year(Int(word) ?? 0))
        } else if !isHead && !word.contains(".") {
            let number = Array(word.replacingAll(",", with: "").unicodeScalars)
            if number.first == "0" || number.count > 3 {
                for digit in number { extend(digits: String(digit)) }
            } else if number.count == 3 && !(number[1] == "0" && number[2] == "0") {
                extend(digits: String(number[0]))
                if number[1] == "0" {
                    result.append(lookup("O", nil, -2, nil))
                    extend(digits: String(number[2]))
                } else {
                    extend(digits: String(String.UnicodeScalarView(number[1...])))
                }
            } else {
                extend(digits: String(String.UnicodeScalarView(number)))
            }
        } else if word.filter({ $0 == "." }).count > 1 || !isHead {
            for part in word.replacingAll(",", with: "").split(separator: ".", omittingEmptySubsequences: false) {
                let digits = part.unicodeScalars
                if digits.isEmpty { continue }
                if digits.first == "0" || (digits.count != 2 && digits.dropFirst().contains { $0 != "0" }) {
                    for digit in digits { extend(digits: String(digit)) }
                } else {
                    extend(digits: part)
                }
            }
        } else if let currency, let units = Self.currencies[currency], Self.isCurrencyAmount(word) {
            let parts = word.replacingAll(",", with: "").split(separator: ".", omittingEmptySubsequences: false)
            var pairs: [(digits: Substring, unit: String)] = zip(parts, [units.0, units.1]).map { ($0, $1) }
            if pairs.count > 1 {
                if Self.isZero(pairs[1].digits) {
                    pairs = Array(pairs.prefix(1))
                } else if Self.isZero(pairs[0].digits) {
                    pairs = Array(pairs.dropFirst())
                }
            }
            for (index, pair) in pairs.enumerated() {
                if index > 0 { result.append(lookup("and", nil, nil, nil)) }
                extend(digits: pair.digits.isEmpty ? "0" : pair.digits)
                let isOne = pair.digits.unicodeScalars.map(NumberWords.digitValue).drop { $0 == 0 } == [1]
                result.append(
                    !isOne && pair.unit != "pence"
                        ? stemS(pair.unit + "s", nil, nil, nil) : lookup(pair.unit, nil, nil, nil)
                )
            }
        } else {
            let words: String
            if Self.isDigits(word) {
                words = NumberWords.cardinal(digits: word)
            } else if !word.contains(".") {
                let digits = word.replacingAll(",", with: "")
                if let suffix, Self.ordinals.contains(suffix) {
                    words = NumberWords.ordinal(digits: digits)
                } else {
                    words = NumberWords.cardinal(digits: digits)
                }
            } else {
                let plain = word.replacingAll(",", with: "")
                if plain.hasPrefix(".") {
                    words =
                        "point "
                        + plain.unicodeScalars.dropFirst().map { NumberWords.cardinal(digits: String($0)) }
                        .joined(separator: " ")
                } else {
                    words = NumberWords.decimal(plain)
                }
            }
            extend(words: words)
        }
        guard !result.isEmpty else { return (nil, nil) }
        // Python would fail on a missing piece; the port drops it.
        let phonemes = result.compactMap(\.phonemes).joined(separator: " ")
        let rating = result.compactMap(\.rating).min()
        switch suffix {
        case "s", "'s": return (suffixS(phonemes), rating)
        case "ed", "'d": return (suffixEd(phonemes), rating)
        case "ing": return (suffixIng(phonemes), rating)
        default: return (phonemes, rating)
        }
    }

    /// `is_currency`: no period, or one period and fewer than three cents digits.
    private static func isCurrencyAmount(_ word: String) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 1 { return true }
        if parts.count > 2 { return false }
        // hibari also compares set(cents) with {0}, which never holds for characters.
        return parts[1].unicodeScalars.count < 3
    }

    private static func isZero(_ digits: Substring) -> Bool {
        digits.unicodeScalars.allSatisfy { NumberWords.digitValue($0) == 0 }
    }

    /// `re.split(r"[^a-z]+", text)`, keeping empty pieces at the ends as Python does.
    static func splitOnNonLetters(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inGap = false
        for scalar in text.unicodeScalars {
            if (0x61...0x7A).contains(scalar.value) {
                if inGap {
                    pieces.append(current)
                    current = ""
                    inGap = false
                }
                current.unicodeScalars.append(scalar)
            } else {
                inGap = true
            }
        }
        pieces.append(current)
        if inGap { pieces.append("") }
        return pieces
    }
}

extension String {
    /// `s.replace(old, new)` for an ASCII `old` (no canonical-equivalence surprises possible).
    func replacingAll(_ old: Character, with new: String) -> String {
        var out = ""
        for character in self { if character == old { out += new } else { out.append(character) } }
        return out
    }
}
