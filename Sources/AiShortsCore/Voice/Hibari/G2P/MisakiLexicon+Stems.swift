extension MisakiLexicon {
    /// `_s`: the plural / third-person ending after a stem's last phoneme.
    func suffixS(_ stem: String?) -> String? {
        guard let stem, let last = stem.unicodeScalars.last else { return nil }
        if "ptkfθ".unicodeScalars.contains(last) { return stem + "s" }
        if "szʃʒʧʤ".unicodeScalars.contains(last) { return stem + (british ? "ɪ" : "ᵻ") + "z" }
        return stem + "z"
    }

    /// `stem_s`: "cats" read as "cat" + s when "cat" is known.
    func stemS(_ word: String, _ tag: String?, _ stress: Double?, _ context: G2PContext?) -> Reading {
        let count = word.unicodeScalars.count
        guard count >= 3, word.pyHasSuffix("s") else { return (nil, nil) }
        let stem: String
        if !word.pyHasSuffix("ss") && isKnown(word.pyDropLast(1), tag) {
            stem = word.pyDropLast(1)
        } else if (word.pyHasSuffix("'s") || (count > 4 && word.pyHasSuffix("es") && !word.pyHasSuffix("ies")))
            && isKnown(word.pyDropLast(2), tag)
        {
            stem = word.pyDropLast(2)
        } else if count > 4 && word.pyHasSuffix("ies") && isKnown(word.pyDropLast(3) + "y", tag) {
            stem = word.pyDropLast(3) + "y"
        } else {
            return (nil, nil)
        }
        let reading = lookup(stem, tag, stress, context)
        return (suffixS(reading.phonemes), reading.rating)
    }

    /// `_ed`: the past ending after a stem's last phoneme (a US 't' after a vowel is flapped).
    func suffixEd(_ stem: String?) -> String? {
        guard let stem else { return nil }
        let scalars = Array(stem.unicodeScalars)
        guard let last = scalars.last else { return nil }
        if "pkfθʃsʧ".unicodeScalars.contains(last) { return stem + "t" }
        if last == "d" { return stem + (british ? "ɪ" : "ᵻ") + "d" }
        if last != "t" { return stem + "d" }
        if british || scalars.count < 2 { return stem + "ɪd" }
        if PhonemeStress.usTaus.contains(scalars[scalars.count - 2]) { return stem.pyDropLast(1) + "ɾᵻd" }
        return stem + "ᵻd"
    }

    /// `stem_ed`: "walked" read as "walk" + ed.
    func stemEd(_ word: String, _ tag: String?, _ stress: Double?, _ context: G2PContext?) -> Reading {
        let count = word.unicodeScalars.count
        guard count >= 4, word.pyHasSuffix("d") else { return (nil, nil) }
        let stem: String
        if !word.pyHasSuffix("dd") && isKnown(word.pyDropLast(1), tag) {
            stem = word.pyDropLast(1)
        } else if count > 4 && word.pyHasSuffix("ed") && !word.pyHasSuffix("eed") && isKnown(word.pyDropLast(2), tag) {
            stem = word.pyDropLast(2)
        } else {
            return (nil, nil)
        }
        let reading = lookup(stem, tag, stress, context)
        return (suffixEd(reading.phonemes), reading.rating)
    }

    /// `_ing`: the -ing ending (a US 't' after a vowel is flapped; British drops stems ending in ə or ː).
    func suffixIng(_ stem: String?) -> String? {
        guard let stem else { return nil }
        let scalars = Array(stem.unicodeScalars)
        guard let last = scalars.last else { return nil }
        if british {
            if last == "ə" || last == "ː" { return nil }
        } else if scalars.count > 1 && last == "t" && PhonemeStress.usTaus.contains(scalars[scalars.count - 2]) {
            return stem.pyDropLast(1) + "ɾɪŋ"
        }
        return stem + "ɪŋ"
    }

    /// `stem_ing`: "making" read as "make" + ing, "running" as "run" + ing.
    func stemIng(_ word: String, _ tag: String?, _ stress: Double?, _ context: G2PContext?) -> Reading {
        let count = word.unicodeScalars.count
        guard count >= 5, word.pyHasSuffix("ing") else { return (nil, nil) }
        let base = word.pyDropLast(3)
        let stem: String
        if count > 5 && isKnown(base, tag) {
            stem = base
        } else if isKnown(base + "e", tag) {
            stem = base + "e"
        } else if count > 5 && Self.hasDoubledConsonantIng(word) && isKnown(word.pyDropLast(4), tag) {
            stem = word.pyDropLast(4)
        } else {
            return (nil, nil)
        }
        let reading = lookup(stem, tag, stress, context)
        return (suffixIng(reading.phonemes), reading.rating)
    }

    /// `re.search(r"([bcdgklmnprstvxz])\1ing$|cking$", word)`.
    private static func hasDoubledConsonantIng(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 5 else { return false }
        let a = scalars[scalars.count - 5]
        let b = scalars[scalars.count - 4]
        if a == b && "bcdgklmnprstvxz".unicodeScalars.contains(a) { return true }
        return a == "c" && b == "k"
    }
}
