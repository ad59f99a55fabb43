extension ClipTokenizer {
    /// Splits cleaned text into the pieces BPE works on, as the reference's regular expression
    /// `<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
    /// does with `findall` (alternatives tried in order at each position; whitespace dropped).
    ///
    /// Works on Unicode scalars, not Swift characters: a combining accent after a letter is its own
    /// piece in the reference (it is neither a letter nor a number), so grapheme clusters would differ.
    static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [String] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let special = specialToken(in: scalars, at: index) {
                pieces.append(special)
                index += special.unicodeScalars.count
            } else if let length = contractionLength(in: scalars, at: index) {
                pieces.append(String(String.UnicodeScalarView(scalars[index..<(index + length)])))
                index += length
            } else if isLetter(scalar) {
                let start = index
                while index < scalars.count, isLetter(scalars[index]) { index += 1 }
                pieces.append(String(String.UnicodeScalarView(scalars[start..<index])))
            } else if isNumber(scalar) {
                pieces.append(String(scalar))
                index += 1
            } else if isSpace(scalar) {
                index += 1
            } else {
                let start = index
                while index < scalars.count, !isSpace(scalars[index]), !isLetter(scalars[index]), !isNumber(scalars[index]) {
                    index += 1
                }
                pieces.append(String(String.UnicodeScalarView(scalars[start..<index])))
            }
        }
        return pieces
    }

    private static let specialTokens = ["<|startoftext|>", "<|endoftext|>"].map { Array($0.unicodeScalars) }

    private static func specialToken(in scalars: [Unicode.Scalar], at index: Int) -> String? {
        guard scalars[index] == "<" else { return nil }
        for token in specialTokens where index + token.count <= scalars.count {
            if Array(scalars[index..<(index + token.count)]) == token { return String(String.UnicodeScalarView(token)) }
        }
        return nil
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` (the reference matches them ignoring case; the text is lower-cased,
    /// and `ſ` folds to `s`).
    private static func contractionLength(in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard scalars[index] == "'", index + 1 < scalars.count else { return nil }
        let next = scalars[index + 1]
        switch next {
        case "s", "t", "m", "d", "S", "T", "M", "D", "\u{017F}":
            return 2
        default:
            break
        }
        guard index + 2 < scalars.count else { return nil }
        let pair = String(String.UnicodeScalarView([next, scalars[index + 2]])).lowercased()
        return ["re", "ve", "ll"].contains(pair) ? 3 : nil
    }

    /// `\p{L}`: the letter categories.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// `\p{N}`: the number categories.
    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    /// `\s` as the `regex` module reads it in a Unicode pattern.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
}
