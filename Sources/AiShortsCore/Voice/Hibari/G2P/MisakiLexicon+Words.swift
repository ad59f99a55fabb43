import Foundation

extension MisakiLexicon {
    /// Reads a token: its word (or alias) through the special cases, the dictionaries and the stems, then
    /// as a number; `(nil, nil)` when none of them knows it (the G2P then falls back to the OOV reader).
    func callAsFunction(_ token: G2PToken, _ context: G2PContext) -> Reading {
        var word = (token.alias ?? token.text).pyReplacing("‘", with: "'").pyReplacing("’", with: "'")
        if !word.utf8.allSatisfy({ $0 < 0x80 }) {
            word = word.precomposedStringWithCompatibilityMapping
            word = String(String.UnicodeScalarView(word.unicodeScalars.flatMap { Self.numericIfNeeded($0) }))
        }
        let stress: Double? = word.pyEquals(word.pyLower) ? nil : word.pyEquals(word.pyUpper) ? 2 : 0.5
        let reading = getWord(word, token.tag, stress, context)
        if let phonemes = reading.phonemes {
            return (PhonemeStress.apply(appendCurrency(phonemes, token.currency), token.stress), reading.rating)
        }
        if Self.isNumber(word, isHead: token.isHead) {
            let number = getNumber(word, token.currency, isHead: token.isHead)
            return (PhonemeStress.apply(number.phonemes, token.stress), number.rating)
        }
        return (nil, nil)
    }

    /// `numeric_if_needed`: a digit other than 0-9 (`²`, `٣`) becomes its ASCII value.
    private static func numericIfNeeded(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        guard scalar.pyIsDigit, let value = scalar.properties.numericValue, value == value.rounded(.towardZero)
        else { return [scalar] }
        return Array(String(Int(value)).unicodeScalars)
    }

    /// `get_special_case`: function words whose reading depends on tag or context, symbols, initials.
    func specialCase(_ word: String, _ tag: String, _ stress: Double?, _ context: G2PContext) -> Reading {
        if tag == "ADD", let name = Self.addSymbols[word] { return lookup(name, nil, -0.5, context) }
        if let name = Self.symbols[word] { return lookup(name, nil, nil, context) }
        if Self.isDottedInitials(word) { return properNoun(word) }
        switch word {
        case "a", "A":
            return (tag == "DT" ? "ɐ" : "ˈA", 4)
        case "am", "Am", "AM":
            if tag.hasPrefix("NN") { return properNoun(word) }
            if context.futureVowel == nil || word != "am" || (stress ?? 0) > 0 { return (gold("am"), 4) }
            return ("ɐm", 4)
        case "an", "An", "AN":
            if word == "AN" && tag.hasPrefix("NN") { return properNoun(word) }
            return ("ɐn", 4)
        case "I" where tag == "PRP":
            return ("ˌI", 4)
        default:
            break
        }
        if word == "by" || word == "By" || word == "BY", Self.parentTag(tag) == "ADV" { return ("bˈI", 4) }
        if word == "to" || word == "To" || (word == "TO" && (tag == "TO" || tag == "IN")) {
            switch context.futureVowel {
            case nil: return (gold("to"), 4)
            case false?: return ("tə", 4)
            case true?: return ("tʊ", 4)
            }
        }
        if word == "in" || word == "In" || (word == "IN" && tag != "NNP") {
            return ((context.futureVowel == nil || tag != "IN" ? "ˈ" : "") + "ɪn", 4)
        }
        if word == "the" || word == "The" || (word == "THE" && tag == "DT") {
            return (context.futureVowel == true ? "ði" : "ðə", 4)
        }
        if tag == "IN", Self.isVersus(word) { return lookup("versus", nil, nil, context) }
        if word == "used" || word == "Used" || word == "USED" {
            guard case .tagged(let byTag) = golds.get("used") else { return (nil, nil) }
            let key = (tag == "VBD" || tag == "JJ") && context.futureTo ? "VBD" : "DEFAULT"
            return ((byTag[key] ?? nil), 4)
        }
        return (nil, nil)
    }

    /// `"." in word.strip(".") and word.replace(".", "").isalpha() and len(max(word.split("."), key=len)) < 3`.
    private static func isDottedInitials(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard let first = scalars.firstIndex(where: { $0 != "." }),
            let last = scalars.lastIndex(where: { $0 != "." }),
            scalars[first...last].contains(".")
        else { return false }
        let letters = scalars.filter { $0 != "." }
        guard !letters.isEmpty, letters.allSatisfy(\.pyIsAlpha) else { return false }
        return scalars.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.count < 3 }
    }

    /// `re.match(r"(?i)vs\.?$", word)`.
    private static func isVersus(_ word: String) -> Bool {
        let lower = word.lowercased()
        return lower == "vs" || lower == "vs."
    }

    /// `get_word`: special cases, then the dictionaries (lowercasing a shouted or capitalized word the
    /// dictionaries only know in lowercase), then possessives and the -s / -ed / -ing stems.
    func getWord(_ text: String, _ tag: String, _ stress: Double?, _ context: G2PContext) -> Reading {
        let special = specialCase(text, tag, stress, context)
        if special.phonemes != nil { return special }
        var word = text
        let lower = word.pyLower
        let count = word.unicodeScalars.count
        if count > 1 && word.pyReplacing("'", with: "").pyIsAlpha && !word.pyEquals(lower)
            && (tag != "NNP" || count > 7) && !golds.contains(word) && !silvers.contains(word)
            && (word.pyEquals(word.pyUpper) || word.pyDropFirst(1).pyEquals(word.pyDropFirst(1).pyLower))
            && (golds.contains(lower) || silvers.contains(lower)
                || stemS(lower, tag, stress, context).phonemes?.isEmpty == false
                || stemEd(lower, tag, stress, context).phonemes?.isEmpty == false
                || stemIng(lower, tag, stress, context).phonemes?.isEmpty == false)
        {
            word = lower
        }
        if isKnown(word, tag) { return lookup(word, tag, stress, context) }
        if word.pyHasSuffix("s'") && isKnown(word.pyDropLast(2) + "'s", tag) {
            return lookup(word.pyDropLast(2) + "'s", tag, stress, context)
        }
        if word.pyHasSuffix("'") && isKnown(word.pyDropLast(1), tag) {
            return lookup(word.pyDropLast(1), tag, stress, context)
        }
        let s = stemS(word, tag, stress, context)
        if s.phonemes != nil { return s }
        let ed = stemEd(word, tag, stress, context)
        if ed.phonemes != nil { return ed }
        let ing = stemIng(word, tag, stress ?? 0.5, context)
        if ing.phonemes != nil { return ing }
        return (nil, nil)
    }

    /// `append_currency`: "five" + "$" → "five dollars".
    func appendCurrency(_ phonemes: String, _ currency: String?) -> String {
        guard let currency, !currency.isEmpty else { return phonemes }
        guard let names = Self.currencies[currency],
            let plural = stemS(names.0 + "s", nil, nil, nil).phonemes, !plural.isEmpty
        else { return phonemes }
        return phonemes + " " + plural
    }
}
