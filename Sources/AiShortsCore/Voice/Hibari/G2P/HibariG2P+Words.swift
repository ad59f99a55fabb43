/// A word for the lexicon: one token, or tokens written without spaces between them ("don't", "COVID-19").
enum G2PWord {
    case single(G2PToken)
    case group([G2PToken])
}

extension HibariG2P {
    static let subtokenPattern = PythonRegex(
        #"^['‘’]+|[A-ZÀ-ÖØ-Þ](?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ])|(?:^-)?(?:\d?[,.]?\d)+|[-_]+|['‘’]{2,}"#
            + #"|[^\W\d_]*?(?:['‘’][^\W\d_])*?[a-zß-öø-ÿ](?=[A-ZÀ-ÖØ-Þ])|[^\W\d_]+(?:['‘’][^\W\d_])*"#
            + #"|[^\w\-'‘’]|['‘’]+$"#
    )
    static let fallbackPiece = PythonRegex(#"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[,.]\d+)*|[^\w\s]+"#)
    static let subtokenJunks = Set("',-._‘’/".unicodeScalars)
    static let puncts = Set(";:,.!?—…\"“”".unicodeScalars)
    static let nonQuotePuncts = Set(";:,.!?—…".unicodeScalars)
    static let punctTags: Set<String> = [".", ",", "-LRB-", "-RRB-", "``", "\"\"", "''", ":", "$", "#", "NFP"]
    static let punctTagPhonemes = ["-LRB-": "(", "-RRB-": ")", "``": "“", "\"\"": "”", "''": "”"]
    static let symbolPhonemes: [Unicode.Scalar: String] = [
        "/": "slˈæʃ", "=": "ˈikwᵊlz", "+": "plˈʌs", "&": "ænd", "@": "æt", "%": "pəɹsˈɛnt", "#": "hˈæʃ",
        "*": "ˈæstəɹˌɪsk", "~": "tˈɪldə", "^": "kˈɛɹət", "<": "lˈɛs ðən", ">": "ɡɹˈATəɹ ðən", "|": "", "—": "—",
    ]

    /// `SUBTOKEN_RE.findall(text)`; plain words skip the regex.
    static func subtokens(_ text: String) -> [String] {
        let scalars = text.unicodeScalars
        if scalars.allSatisfy(\.isASCIILetter)
            && (scalars.dropFirst().allSatisfy(\.isLatinLower) || scalars.allSatisfy(\.isLatinUpper))
        {
            return [text]
        }
        return subtokenPattern.matches(in: text).map(\.whole)
    }

    /// `retokenize`: splits tokens into subtokens, marks punctuation and currency, and groups runs of
    /// subtokens written without spaces into words.
    static func retokenize(_ tokens: [G2PToken]) -> [G2PWord] {
        var words: [G2PWord] = []
        var currency: String?
        for (i, token) in tokens.enumerated() {
            let parts: [G2PToken]
            if token.alias == nil && token.phonemes == nil {
                parts = subtokens(token.text).map { token.subtoken(text: $0) }
            } else {
                parts = [token]
            }
            // Python would fail on a token without subtokens; none can arise from non-empty text.
            guard let lastPart = parts.last else { continue }
            lastPart.whitespace = token.whitespace
            for (j, part) in parts.enumerated() {
                if part.alias != nil || part.phonemes != nil {
                    // Read already: a [link](/phonemes/) token.
                } else if part.tag == "$" && MisakiLexicon.currencies[part.text] != nil {
                    currency = part.text
                    part.phonemes = ""
                    part.rating = 4
                } else if part.tag == ":" && (part.text == "-" || part.text == "–") {
                    part.phonemes = "—"
                    part.rating = 3
                } else if punctTags.contains(part.tag) && !part.text.unicodeScalars.allSatisfy(Self.lowersToASCIILetter)
                {
                    part.phonemes =
                        punctTagPhonemes[part.tag]
                        ?? String(String.UnicodeScalarView(part.text.unicodeScalars.filter { puncts.contains($0) }))
                    part.rating = 4
                } else if let symbol = currency {
                    if part.tag != "CD" {
                        currency = nil
                    } else if j + 1 == parts.count && (i + 1 == tokens.count || tokens[i + 1].tag != "CD") {
                        part.currency = symbol
                    }
                } else if j > 0 && j < parts.count - 1 && part.text == "2",
                    let before = parts[j - 1].text.unicodeScalars.last,
                    let after = parts[j + 1].text.unicodeScalars.first,
                    before.pyIsAlpha && after.pyIsAlpha
                {
                    part.alias = "to"
                }
                if part.alias != nil || part.phonemes != nil {
                    words.append(.single(part))
                } else if case .group(var group)? = words.last, let tail = group.last, !tail.whitespace {
                    part.isHead = false
                    group.append(part)
                    words[words.count - 1] = .group(group)
                } else {
                    words.append(part.whitespace ? .single(part) : .group([part]))
                }
            }
        }
        return words.map { word in
            if case .group(let group) = word, group.count == 1 { return .single(group[0]) }
            return word
        }
    }

    /// `97 <= ord(c.lower()) <= 122`.
    private static func lowersToASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        let lower = scalar.pyLower.unicodeScalars
        guard lower.count == 1, let first = lower.first else { return false }
        return (97...122).contains(first.value)
    }

    /// `token_context`: what the word just read tells the word before it.
    static func tokenContext(_ context: G2PContext, _ phonemes: String?, _ token: G2PToken) -> G2PContext {
        var vowel = context.futureVowel
        if let phonemes, !phonemes.isEmpty,
            let first = phonemes.unicodeScalars.first(where: {
                PhonemeStress.vowels.contains($0) || PhonemeStress.consonants.contains($0)
                    || nonQuotePuncts.contains($0)
            })
        {
            vowel = nonQuotePuncts.contains(first) ? nil : PhonemeStress.vowels.contains(first)
        }
        let futureTo =
            token.text == "to" || token.text == "To" || (token.text == "TO" && (token.tag == "TO" || token.tag == "IN"))
        return G2PContext(futureVowel: vowel, futureTo: futureTo)
    }

    /// `resolve_tokens`: punctuation and junk inside a word, spacing between its parts, and stress
    /// balance for compounds read from several entries.
    static func resolveTokens(_ tokens: [G2PToken]) {
        var text = ""
        for token in tokens.dropLast() { text += token.text + (token.whitespace ? " " : "") }
        text += tokens.last?.text ?? ""
        var kinds = Set<Int>()
        for scalar in text.unicodeScalars where !subtokenJunks.contains(scalar) {
            kinds.insert(scalar.pyIsAlpha ? 0 : scalar.isASCIIDigit ? 1 : 2)
        }
        let prespace = text.unicodeScalars.contains(" ") || text.unicodeScalars.contains("/") || kinds.count > 1
        for (i, token) in tokens.enumerated() {
            if token.phonemes == nil {
                let scalars = token.text.unicodeScalars
                if i == tokens.count - 1 && scalars.count == 1 && scalars.first.map(nonQuotePuncts.contains) == true {
                    token.phonemes = token.text
                    token.rating = 3
                } else if scalars.allSatisfy(subtokenJunks.contains) {
                    token.phonemes = ""
                    token.rating = 3
                }
            } else if i > 0 {
                token.prespace = prespace
            }
        }
        if prespace { return }
        let indices = tokens.enumerated().compactMap { i, token -> (primary: Bool, weight: Int, index: Int)? in
            guard let phonemes = token.phonemes, !phonemes.isEmpty else { return nil }
            return (phonemes.pyContains(PhonemeStress.primary), PhonemeStress.weight(phonemes), i)
        }
        if indices.count == 2 && tokens[indices[0].index].text.unicodeScalars.count == 1 {
            let token = tokens[indices[1].index]
            token.phonemes = PhonemeStress.apply(token.phonemes, -0.5)
            return
        }
        if indices.count < 2 || indices.filter(\.primary).count <= (indices.count + 1) / 2 { return }
        let ordered = indices.sorted { a, b in
            if a.primary != b.primary { return !a.primary }
            if a.weight != b.weight { return a.weight < b.weight }
            return a.index < b.index
        }
        for entry in ordered.prefix(indices.count / 2) {
            tokens[entry.index].phonemes = PhonemeStress.apply(tokens[entry.index].phonemes, -0.5)
        }
    }

    /// `fallback`: an unknown word's letter runs go to the OOV reader, digit runs to the number reader,
    /// symbols to a small table.
    func fallback(_ token: G2PToken) throws -> MisakiLexicon.Reading {
        guard let oov else { return (nil, nil) }
        var out: [String] = []
        for match in Self.fallbackPiece.matches(in: token.text) {
            let piece = match.whole
            guard let first = piece.unicodeScalars.first else { continue }
            let phonemes: String?
            if first.pyIsDigit {
                phonemes = lexicon.getNumber(piece, nil, isHead: false).phonemes
            } else if first.pyIsAlpha {
                phonemes = try oov.phonemes(for: piece)
            } else {
                phonemes = piece.unicodeScalars.map { Self.symbolPhonemes[$0] ?? "" }.joined()
            }
            if let phonemes, !phonemes.isEmpty { out.append(phonemes) }
        }
        return out.isEmpty ? ("", 3) : (out.joined(separator: " "), 2)
    }
}
