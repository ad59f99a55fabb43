// Python `str` methods with code-point semantics. Swift's `String` compares and searches by grapheme
// cluster and canonical equivalence; hibari's rules index, compare and replace code points, so the port
// goes through these.

extension String {
    /// `s.isalpha()`.
    var pyIsAlpha: Bool { !isEmpty && unicodeScalars.allSatisfy(\.pyIsAlpha) }

    /// `s.isdigit()`.
    var pyIsDigit: Bool { !isEmpty && unicodeScalars.allSatisfy(\.pyIsDigit) }

    /// `s.islower()`: some cased character and no uppercase or titlecase one.
    var pyIsLower: Bool {
        var cased = false
        for scalar in unicodeScalars {
            if scalar.pyIsUppercase || scalar.pyIsTitlecase { return false }
            if !cased && scalar.pyIsLowercase { cased = true }
        }
        return cased
    }

    /// `s.isupper()`: some cased character and no lowercase or titlecase one.
    var pyIsUpper: Bool {
        var cased = false
        for scalar in unicodeScalars {
            if scalar.pyIsLowercase || scalar.pyIsTitlecase { return false }
            if !cased && scalar.pyIsUppercase { cased = true }
        }
        return cased
    }

    /// `s.lower()`.
    var pyLower: String {
        if utf8.allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) }) { return self }
        var out = ""
        for scalar in unicodeScalars { out += scalar.pyLower }
        return out
    }

    /// `s.upper()`.
    var pyUpper: String {
        if utf8.allSatisfy({ $0 < 0x61 || ($0 > 0x7A && $0 < 0x80) }) { return self }
        var out = ""
        for scalar in unicodeScalars { out += scalar.pyUpper }
        return out
    }

    /// `s.capitalize()`: the first code point titlecased, the rest lowercased.
    var pyCapitalize: String {
        guard let first = unicodeScalars.first else { return self }
        let head = first.isASCII ? first.pyUpper : first.properties.titlecaseMapping
        return head + String(unicodeScalars.dropFirst()).pyLower
    }

    /// `a == b` in Python: the same code points (Swift's `==` would accept canonical equivalents).
    func pyEquals(_ other: String) -> Bool {
        utf8.elementsEqual(other.utf8)
    }

    /// `len(s)`.
    var pyCount: Int { unicodeScalars.count }

    /// `c in s` for one code point.
    func pyContains(_ scalar: Unicode.Scalar) -> Bool { unicodeScalars.contains(scalar) }

    /// `sub in s`, by code points.
    func pyContains(_ needle: String) -> Bool {
        let hay = Array(utf8)
        let pin = Array(needle.utf8)
        if pin.isEmpty { return true }
        if pin.count > hay.count { return false }
        for start in 0...(hay.count - pin.count) where hay[start] == pin[0] {
            if hay[start..<(start + pin.count)].elementsEqual(pin) { return true }
        }
        return false
    }

    /// `s.replace(old, new)`, by code points (UTF-8 bytes; a code point sequence matches exactly when its
    /// bytes do).
    func pyReplacing(_ old: String, with new: String) -> String {
        let hay = Array(utf8)
        let pin = Array(old.utf8)
        guard !pin.isEmpty, hay.count >= pin.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var index = 0
        var changed = false
        while index < hay.count {
            if hay[index] == pin[0], index + pin.count <= hay.count, hay[index..<(index + pin.count)].elementsEqual(pin)
            {
                out.append(contentsOf: new.utf8)
                index += pin.count
                changed = true
            } else {
                out.append(hay[index])
                index += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : self
    }

    /// `s.endswith(suffix)`, by code points.
    func pyHasSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// `s.startswith(prefix)`, by code points.
    func pyHasPrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// `s[:-n]`, dropping `n` code points.
    func pyDropLast(_ count: Int) -> String { String(unicodeScalars.dropLast(count)) }

    /// `s[n:]`, dropping `n` code points.
    func pyDropFirst(_ count: Int) -> String { String(unicodeScalars.dropFirst(count)) }

    /// `s[-1]`, the last code point.
    var pyLast: Unicode.Scalar? { unicodeScalars.last }

    /// `s.strip()` with Python's whitespace.
    var pyStripped: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.pyIsSpace }),
            let end = scalars.lastIndex(where: { !$0.pyIsSpace })
        else { return "" }
        return String(scalars[start...end])
    }
}
