import Foundation

/// Splits text into word tokens with spaCy's English rules, as hibari's `tokenize.py` does.
///
/// Each whitespace-separated chunk is looked up in the special cases (contractions, "Mr.", "10am"), then
/// prefixes and suffixes are peeled off, then infixes (hyphens, slashes) split what is left, and finally
/// adjacent pieces that spell a special case are joined back ("Sept" + "." → "Sept."). The affix rules
/// are written out by hand (see `EnglishTokenizer+Affixes.swift`) because they run for every chunk.
struct EnglishTokenizer: Sendable {
    /// Special cases: chunk text → its tokens.
    let special: [String: [String]]

    /// Reads `tokenizer_exceptions.json`.
    init(assets: URL) throws {
        special = try HibariAssets.parse("tokenizer_exceptions.json", in: assets) { scanner in
            var table: [String: [String]] = [:]
            try scanner.readObject { key, scanner in
                var pieces: [String] = []
                try scanner.readArray { scanner in pieces.append(try scanner.readString()) }
                table[key] = pieces
            }
            return table
        }
    }

    /// Token texts with whether whitespace followed each.
    func callAsFunction(_ text: String) -> [(text: String, whitespace: Bool)] {
        let scalars = Array(text.unicodeScalars)
        var out: [(text: String, whitespace: Bool)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].pyIsSpace {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count && !scalars[index].pyIsSpace { index += 1 }
            let pieces = split(Array(scalars[start..<index]))
            for (offset, piece) in pieces.enumerated() {
                out.append((piece, offset == pieces.count - 1 && index < scalars.count))
            }
        }
        return out
    }

    private func isSpecial(_ scalars: ArraySlice<Unicode.Scalar>) -> [String]? {
        special[Self.string(scalars)]
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// spaCy's tokenizer loop over one chunk.
    func split(_ chunk: [Unicode.Scalar]) -> [String] {
        var s = chunk[...]
        if let pieces = isSpecial(s) { return pieces }
        var prefixes: [String] = []
        var suffixes: [String] = []
        var last = -1
        while !s.isEmpty && s.count != last && isSpecial(s) == nil {
            last = s.count
            let prefixLength = Self.prefixLength(s)
            if prefixLength > 0 {
                let rest = s.dropFirst(prefixLength)
                if !rest.isEmpty && isSpecial(rest) != nil {
                    prefixes.append(Self.string(s.prefix(prefixLength)))
                    s = rest
                    break
                }
            }
            let suffixLength = Self.suffixLength(s.dropFirst(prefixLength))
            if suffixLength > 0 {
                let rest = s.dropLast(suffixLength)
                if !rest.isEmpty && isSpecial(rest) != nil {
                    suffixes.append(Self.string(s.suffix(suffixLength)))
                    s = rest
                    break
                }
            }
            if prefixLength > 0 && suffixLength > 0 && prefixLength + suffixLength <= s.count {
                prefixes.append(Self.string(s.prefix(prefixLength)))
                suffixes.append(Self.string(s.suffix(suffixLength)))
                s = s.dropFirst(prefixLength).dropLast(suffixLength)
            } else if prefixLength > 0 {
                prefixes.append(Self.string(s.prefix(prefixLength)))
                s = s.dropFirst(prefixLength)
            } else if suffixLength > 0 {
                suffixes.append(Self.string(s.suffix(suffixLength)))
                s = s.dropLast(suffixLength)
            }
        }
        var tokens = prefixes
        if !s.isEmpty {
            if let pieces = isSpecial(s) {
                tokens += pieces
            } else if Self.isURL(s) {
                tokens.append(Self.string(s))
            } else {
                tokens += Self.splitInfixes(Array(s))
            }
        }
        tokens += suffixes.reversed()
        return tokens.count > 1 ? rejoin(tokens) : tokens
    }

    /// spaCy's special-case pass over the split pieces: 'Sept' '.' → 'Sept.', ')' ':' → '):'.
    func rejoin(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        outer: while index < tokens.count {
            for width in [3, 2] where index + width <= tokens.count {
                if let pieces = special[tokens[index..<(index + width)].joined()] {
                    out += pieces
                    index += width
                    continue outer
                }
            }
            out.append(tokens[index])
            index += 1
        }
        return out
    }
}
