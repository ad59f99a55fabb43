/// One token on its way through the G2P (hibari's `Tok`, misaki's `MToken`).
///
/// A class because the Python pipeline shares and mutates token objects between the word list and its
/// groups; a token never leaves the call that made it. (`num_flags` is left out: hibari never sets it.)
final class G2PToken {
    var text: String
    var tag: String
    var whitespace: Bool
    var phonemes: String?
    var isHead: Bool
    var alias: String?
    var stress: Double?
    var currency: String?
    var prespace: Bool
    var rating: Int?

    init(
        text: String,
        tag: String,
        whitespace: Bool,
        phonemes: String? = nil,
        isHead: Bool = true,
        alias: String? = nil,
        stress: Double? = nil,
        currency: String? = nil,
        prespace: Bool = false,
        rating: Int? = nil
    ) {
        self.text = text
        self.tag = tag
        self.whitespace = whitespace
        self.phonemes = phonemes
        self.isHead = isHead
        self.alias = alias
        self.stress = stress
        self.currency = currency
        self.prespace = prespace
        self.rating = rating
    }

    /// `tk.copy(text=..., ...)` as `retokenize` makes its subtokens.
    func subtoken(text: String) -> G2PToken {
        G2PToken(
            text: text,
            tag: tag,
            whitespace: false,
            phonemes: phonemes,
            isHead: true,
            alias: alias,
            stress: stress,
            currency: currency,
            prespace: false,
            rating: rating
        )
    }

    /// `merge_tokens`: one token standing for a run of tokens written without spaces between them.
    ///
    /// With `unknown` nil the merged token has no phonemes; otherwise the parts' phonemes are joined
    /// (`unknown` for parts without any), with a space before a part marked `prespace`.
    static func merge(_ tokens: [G2PToken], unknown: String? = nil) -> G2PToken {
        let stresses = Set(tokens.compactMap(\.stress))
        let currencies = tokens.compactMap(\.currency)
        let ratings = tokens.map(\.rating)
        var phonemes: String?
        if let unknown {
            var joined = ""
            for token in tokens {
                if token.prespace, let last = joined.unicodeScalars.last, !last.pyIsSpace,
                    let own = token.phonemes, !own.isEmpty
                {
                    joined += " "
                }
                joined += token.phonemes ?? unknown
            }
            phonemes = joined
        }
        var text = ""
        for token in tokens.dropLast() { text += token.text + (token.whitespace ? " " : "") }
        text += tokens.last?.text ?? ""
        // max() keeps the first of equal weights: a strict comparison does too.
        var best = tokens[0]
        var bestWeight = -1
        for token in tokens {
            let weight = token.text.unicodeScalars.reduce(0) { $0 + ($1.pyIsOwnLower ? 1 : 2) }
            if weight > bestWeight {
                best = token
                bestWeight = weight
            }
        }
        return G2PToken(
            text: text,
            tag: best.tag,
            whitespace: tokens.last?.whitespace ?? false,
            phonemes: phonemes,
            isHead: tokens[0].isHead,
            alias: nil,
            stress: stresses.count == 1 ? stresses.first : nil,
            currency: currencies.max { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) },
            prespace: tokens[0].prespace,
            rating: ratings.contains(nil) ? nil : ratings.compactMap { $0 }.min()
        )
    }
}
