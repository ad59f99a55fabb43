import Foundation

/// CLIP's text clean-up before tokenising: what OpenAI's `simple_tokenizer.py` does with
/// `ftfy.fix_text`, `html.unescape` (twice), whitespace collapsing and `lower()`.
///
/// Of ftfy's fixes, the ones that change ordinary text are done exactly: HTML entities (ftfy repeats
/// its unescape until nothing changes, unless the text has a `<`), C0/C1 control characters,
/// terminal escapes, Latin ligatures, full-width forms, curly quotes, line breaks and NFC. Mojibake
/// repair (`fix_encoding`) is not: it guesses at text decoded with the wrong code page, which a
/// script typed for a video does not have. Named entities are the common ones (the reference knows
/// all of HTML5's); numeric references are all decoded.
enum ClipTextCleaner {
    /// `text` cleaned and lower-cased as the reference tokenizer does before splitting it into words.
    static func clean(_ text: String) -> String {
        var text = fixText(text)
        text = unescapeHTML(unescapeHTML(text))
        return lowercased(collapseWhitespace(text))
    }

    /// ftfy's `fix_text` with its default configuration, minus mojibake repair.
    static func fixText(_ text: String) -> String {
        let unescapes = !text.contains("<")
        var current = text
        // ftfy loops over its fixes until the text stops changing.
        for _ in 0..<16 {
            var next = unescapes ? unescapeHTML(current) : current
            next = fixCharacters(next)
            next = next.precomposedStringWithCanonicalMapping
            // Scalar by scalar: Swift's `==` holds for canonically equivalent strings, so it would
            // call "e\u{301}" unchanged by NFC and keep it decomposed.
            let changed = !next.unicodeScalars.elementsEqual(current.unicodeScalars)
            current = next
            if !changed { break }
        }
        return current
    }

    /// Ligatures, widths, quotes, line breaks, terminal escapes and control characters, one pass.
    static func fixCharacters(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let value = scalar.value
            if value == 0x1B, let end = terminalEscapeEnd(scalars, from: index) {
                index = end
                continue
            }
            index += 1
            if let ligature = ligatures[value] {
                out.append(contentsOf: ligature.unicodeScalars)
            } else if value == 0x3000 {
                out.append(" ")
            } else if (0xFF01..<0xFFF0).contains(value) {
                out.append(contentsOf: String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
            } else if value == 0x02BC || (0x2018...0x201B).contains(value) {
                out.append("'")
            } else if (0x201C...0x201F).contains(value) {
                out.append("\"")
            } else if value == 0x0D {
                // "\r\n" and a lone "\r" both become "\n".
                if index < scalars.count, scalars[index] == "\n" { index += 1 }
                out.append("\n")
            } else if value == 0x2028 || value == 0x2029 {
                out.append("\n")
            } else if isRemovedControl(value) {
                continue
            } else if (0x80...0x9F).contains(value), let decoded = windows1252[value] {
                out.append(decoded)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Where an ANSI escape (`ESC [ digits-or-semicolons letter`) starting at `start` ends, if it is one.
    private static func terminalEscapeEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count, scalars[index] == ";" || ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic else { return nil }
        return index + 1
    }

    private static func isRemovedControl(_ value: UInt32) -> Bool {
        value < 0x09 || value == 0x0B || (0x0E..<0x20).contains(value) || value == 0x7F
            || (0x206A..<0x2070).contains(value) || value == 0xFEFF || (0xFFF9..<0xFFFD).contains(value)
    }

    /// `\s+` → one space, then trimmed (Python's `\s` is Unicode's White_Space here).
    static func collapseWhitespace(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Python's `str.lower()`: full case mapping, with Greek capital sigma final at a word's end.
    static func lowercased(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{03A3}") else { return text.lowercased() }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            guard scalar == "\u{03A3}" else {
                out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                continue
            }
            // Unicode's Final_Sigma: a cased letter before (skipping case-ignorables), none after.
            let before = scalars[..<index].reversed().first { !$0.properties.isCaseIgnorable }
            let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
            let final = (before?.properties.isCased ?? false) && !(after?.properties.isCased ?? false)
            out.append(final ? "\u{03C2}" : "\u{03C3}")
        }
        return String(out)
    }

    /// Decodes `&name;`, `&#NNN;` and `&#xHH;` once, as one pass of `html.unescape` does.
    static func unescapeHTML(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(32).firstIndex(of: ";"), let decoded = entity(String(after[..<semicolon])) {
                out += decoded
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }

    private static func entity(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value else { return nil }
            // html.unescape maps the C1 range as Windows-1252 and invalid code points to U+FFFD.
            if let decoded = windows1252[value] { return String(decoded) }
            if value == 0 || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return "\u{FFFD}" }
            return Unicode.Scalar(value).map { String($0) }
        }
        return namedEntities[name]
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "hellip": "…",
        "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "copy": "©",
        "reg": "®", "trade": "™", "deg": "°", "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à",
        "iacute": "í", "oacute": "ó", "uacute": "ú", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö",
        "auml": "ä", "szlig": "ß", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "times": "×",
        "divide": "÷", "middot": "·", "bull": "•", "laquo": "«", "raquo": "»", "sect": "§", "para": "¶",
    ]

    private static let ligatures: [UInt32: String] = [
        0x0132: "IJ", 0x0133: "ij", 0x0149: "\u{02BC}n", 0x01F1: "DZ", 0x01F2: "Dz", 0x01F3: "dz",
        0x01C4: "DŽ", 0x01C5: "Dž", 0x01C6: "dž", 0x01C7: "LJ", 0x01C8: "Lj", 0x01C9: "lj",
        0x01CA: "NJ", 0x01CB: "Nj", 0x01CC: "nj", 0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl",
        0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "\u{017F}t", 0xFB06: "st",
    ]

    /// C1 control characters as Windows-1252 reads those bytes (ftfy's `fix_c1_controls`).
    private static let windows1252: [UInt32: Unicode.Scalar] = [
        0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
        0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
        0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
    ]
}
