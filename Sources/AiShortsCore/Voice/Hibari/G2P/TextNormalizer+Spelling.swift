extension TextNormalizer {
    func spellTime(_ match: PythonMatch) -> String {
        let hour = Self.int(match.group(1))
        let minute = Self.int(match.group(2))
        let second = match.group(3)
        let meridiem = match.group(4)
        if hour > 24 || minute > 59 || (second.map { Self.int($0) > 59 } ?? false) { return match.whole }
        var words = NumberWords.cardinal(hour)
        if minute == 0 {
            words += meridiem != nil || second != nil ? "" : " o'clock"
        } else if minute < 10 {
            words += " oh " + NumberWords.cardinal(minute)
        } else {
            words += " " + NumberWords.cardinal(minute)
        }
        if let second {
            let value = Self.int(second)
            words += " and " + NumberWords.cardinal(value) + (value == 1 ? " second" : " seconds")
        }
        if let meridiem {
            // Dotted so that the lexicon spells the letters (misaki's get_NNP).
            words += " " + meridiem.pyUpper + ".M" + (match.nextScalar == "." ? "" : ".")
        }
        return words
    }

    /// `_date`: "March 3rd" or "March 3rd, 2024"; nil for an impossible month or day.
    func date(_ year: String?, _ month: Int, _ day: Int) -> String? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return monthNames[month - 1] + " " + NumberWords.ordinal(day) + (year.map { $0.isEmpty ? "" : ", " + $0 } ?? "")
    }

    func spellDateUS(_ match: PythonMatch) -> String {
        let a = Self.int(match.group(1))
        let b = Self.int(match.group(2))
        var year = match.group(3) ?? ""
        if year.unicodeScalars.count == 2 { year = (Self.int(year) > 30 ? "19" : "20") + year }
        let (month, day) = a <= 12 ? (a, b) : (b, a)
        return date(year, month, day) ?? match.whole
    }

    func spellMonthDay(_ match: PythonMatch) -> String {
        let month = match.group(1) ?? ""
        let day = Self.int(match.group(2))
        guard (1...31).contains(day) else { return match.whole }
        return monthName(month) + " " + NumberWords.ordinal(day) + (match.group(3) ?? "")
    }

    func spellDayMonth(_ match: PythonMatch) -> String {
        let day = Self.int(match.group(2))
        guard (1...31).contains(day) else { return match.whole }
        return "the " + NumberWords.ordinal(day) + " of " + monthName(match.group(3) ?? "")
    }

    /// `MONTHS[month.lower()[:3]]`.
    private func monthName(_ month: String) -> String {
        let key = String(month.pyLower.unicodeScalars.prefix(3))
        return months.first { $0.key == key }?.value ?? month
    }

    func spellDegrees(_ match: PythonMatch) -> String {
        let amount = match.group(1) ?? ""
        let words = amount + " " + Self.plural(amount, ["degree", "degrees"])
        switch match.group(2) {
        case "C": return words + " Celsius"
        case "F": return words + " Fahrenheit"
        default: return words
        }
    }

    /// `{"k": "thousand", "m": "million", "b": "billion"}.get(big.lower(), big)`.
    private static func bigWord(_ big: String) -> String {
        switch big.pyLower {
        case "k": "thousand"
        case "m": "million"
        case "b": "billion"
        default: big
        }
    }

    func spellCurrency(_ match: PythonMatch) -> String {
        let symbol = match.group(1) ?? ""
        let amount = match.group(2) ?? ""
        var key = symbol
        while key.hasSuffix(".") { key.removeLast() }
        let words = currencyWords[key] ?? ["", ""]
        if let big = match.group(3) {
            return amount + " " + Self.bigWord(big) + " " + words[1]
        }
        return amount + " " + Self.plural(amount, words)
    }

    func spellBigMoney(_ match: PythonMatch) -> String {
        let words = currencyWords[match.group(1) ?? ""] ?? ["", ""]
        return (match.group(2) ?? "") + " " + Self.bigWord(match.group(3) ?? "") + " " + words[1]
    }

    func spellFraction(_ match: PythonMatch) -> String {
        let a = Self.int(match.group(1))
        let b = Self.int(match.group(2))
        let names = [
            2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth",
            10: "tenth",
        ]
        if 0 < a && a < b && b <= 10, let unit = names[b] {
            if unit == "half" { return a == 1 ? "one half" : "\(a) halves" }
            return "\(a) \(unit)" + (a == 1 ? "" : "s")
        }
        if (1...12).contains(a) && (1...31).contains(b), let date = date(nil, a, b) { return date }
        return "\(a) slash \(b)"
    }
}
