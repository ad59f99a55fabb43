extension HibariG2P {
    /// `phonemize_tokens` (misaki's `G2P.__call__`): reads the words right to left, so that each word
    /// knows whether the next one starts with a vowel, and returns one token per word.
    func phonemizeTokens(_ tokens: [G2PToken]) throws -> [G2PToken] {
        let words = Self.retokenize(tokens)
        var context = G2PContext()
        for word in words.reversed() {
            switch word {
            case .single(let token):
                if token.phonemes == nil { (token.phonemes, token.rating) = lexicon(token, context) }
                if token.phonemes == nil { (token.phonemes, token.rating) = try fallback(token) }
                context = Self.tokenContext(context, token.phonemes, token)
            case .group(let group):
                context = try readGroup(group, context)
            }
        }
        let out = words.map { word -> G2PToken in
            switch word {
            case .single(let token): token
            case .group(let group): G2PToken.merge(group, unknown: "")
            }
        }
        for token in out {
            if let phonemes = token.phonemes, !phonemes.isEmpty {
                token.phonemes = phonemes.pyReplacing("ɾ", with: "T").pyReplacing("ʔ", with: "t")
            }
        }
        return out
    }

    /// Reads a group of subtokens: the longest run from the left that the lexicon knows, repeatedly
    /// from the right end; the OOV fallback for the whole group when some part is unknown.
    private func readGroup(_ group: [G2PToken], _ start: G2PContext) throws -> G2PContext {
        var context = start
        var left = 0
        var right = group.count
        var shouldFallback = false
        while left < right {
            let span = group[left..<right]
            var reading: MisakiLexicon.Reading = (nil, nil)
            var merged: G2PToken?
            if !span.contains(where: { $0.alias != nil || $0.phonemes != nil }) {
                let token = G2PToken.merge(Array(span))
                merged = token
                reading = lexicon(token, context)
            }
            if let phonemes = reading.phonemes, let merged {
                group[left].phonemes = phonemes
                group[left].rating = reading.rating
                for part in group[(left + 1)..<right] {
                    part.phonemes = ""
                    part.rating = reading.rating
                }
                context = Self.tokenContext(context, phonemes, merged)
                right = left
                left = 0
            } else if left + 1 < right {
                left += 1
            } else {
                right -= 1
                let token = group[right]
                if token.phonemes == nil {
                    if token.text.unicodeScalars.allSatisfy(Self.subtokenJunks.contains) {
                        token.phonemes = ""
                        token.rating = 3
                    } else {
                        shouldFallback = true
                        break
                    }
                }
                left = 0
            }
        }
        if shouldFallback {
            let merged = G2PToken.merge(group)
            (group[0].phonemes, group[0].rating) = try fallback(merged)
            for part in group.dropFirst() {
                part.phonemes = ""
                part.rating = group[0].rating
            }
        } else {
            Self.resolveTokens(group)
        }
        return context
    }
}
