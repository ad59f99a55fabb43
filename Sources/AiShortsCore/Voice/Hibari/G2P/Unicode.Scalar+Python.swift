// Python's `str` predicates and `re` character classes, one code point at a time. The G2P must take the
// same branches as hibari's Python code, so these follow CPython (Unicode database categories and
// numeric types), not Swift's `Character` properties, which look at whole grapheme clusters.

extension Unicode.Scalar {
    /// `c.isalpha()`: a letter (Lu, Ll, Lt, Lm, Lo).
    var pyIsAlpha: Bool {
        if isASCII { return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `re` `\d` and `c.isdecimal()`: a decimal digit (Nd).
    var pyIsDecimal: Bool {
        if isASCII { return (0x30...0x39).contains(value) }
        return properties.generalCategory == .decimalNumber
    }

    /// `c.isdigit()`: numeric type decimal or digit (so `²` counts, `½` does not).
    var pyIsDigit: Bool {
        if isASCII { return (0x30...0x39).contains(value) }
        let type = properties.numericType
        return type == .decimal || type == .digit
    }

    /// `re` `\w`: a letter, a number of any kind, or `_` (checked against CPython for every code point).
    var pyIsWord: Bool {
        if isASCII { return pyIsAlpha || pyIsDecimal || value == 0x5F }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default: return false
        }
    }

    /// `re` `[^\W\d_]`: what hibari's patterns call a letter (Python counts `²` and `½` in it).
    var pyIsLetterClass: Bool { pyIsWord && !pyIsDecimal && value != 0x5F }

    /// `re` `[^\W_]`: a letter or a number.
    var pyIsAlnumClass: Bool { pyIsWord && value != 0x5F }

    /// `c.isspace()` and `re` `\s`.
    var pyIsSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    /// CPython's lowercase flag (the derived `Lowercase` property).
    var pyIsLowercase: Bool {
        if isASCII { return (0x61...0x7A).contains(value) }
        return properties.isLowercase
    }

    /// CPython's uppercase flag (the derived `Uppercase` property).
    var pyIsUppercase: Bool {
        if isASCII { return (0x41...0x5A).contains(value) }
        return properties.isUppercase
    }

    /// A titlecase letter (Lt), which makes both `islower()` and `isupper()` false.
    var pyIsTitlecase: Bool { !isASCII && properties.generalCategory == .titlecaseLetter }

    /// `c.lower()`, the full mapping (one code point can become several).
    var pyLower: String {
        if isASCII { return (0x41...0x5A).contains(value) ? String(Unicode.Scalar(value + 32) ?? self) : String(self) }
        return properties.lowercaseMapping
    }

    /// `c.upper()`, the full mapping (`ß` becomes `SS`).
    var pyUpper: String {
        if isASCII { return (0x61...0x7A).contains(value) ? String(Unicode.Scalar(value - 32) ?? self) : String(self) }
        return properties.uppercaseMapping
    }

    /// Whether `c == c.lower()`.
    var pyIsOwnLower: Bool {
        if isASCII { return !(0x41...0x5A).contains(value) }
        let mapped = properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 && mapped.first == self
    }

    /// An ASCII letter `A-Z` or `a-z`.
    var isASCIILetter: Bool { (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }

    /// An ASCII digit `0-9` (hibari's `[0-9]` and `is_digit`).
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }

    /// hibari's `[a-zß-öø-ÿ]`: lowercase Latin letters.
    var isLatinLower: Bool {
        (0x61...0x7A).contains(value) || (0xDF...0xF6).contains(value) || (0xF8...0xFF).contains(value)
    }

    /// hibari's `[A-ZÀ-ÖØ-Þ]`: uppercase Latin letters.
    var isLatinUpper: Bool {
        (0x41...0x5A).contains(value) || (0xC0...0xD6).contains(value) || (0xD8...0xDE).contains(value)
    }
}
