extension PiperNarrator {
    /// One sentence made ready for the model: its input ids and, for each id, the word it speaks.
    struct Utterance: Sendable, Hashable {
        /// The model's `input`.
        var ids: [Int64]
        /// For each id, the index of the sentence's word it belongs to; `nil` for `^`, `$`, the
        /// spaces between words and punctuation, whose durations are the pauses.
        var words: [Int?]

        /// Whether no id belongs to a word: espeak-ng found nothing to say.
        var isSilent: Bool { !words.contains { $0 != nil } }
    }

    /// The longest sentence sent to the model at once; longer ones are cut, at a comma if there is one.
    static let maximumSentenceWords = 40

    /// Abbreviations whose full stop does not end a sentence.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs", "mt", "capt", "gen", "sgt", "lt", "col", "rev", "hon",
    ]

    /// Characters after a word's final punctuation that do not hide it (`"Really?"`, `(yes).`).
    static let closers = Set("\"')]}»”’".unicodeScalars)

    /// The script's sentences, as ranges of `words`.
    ///
    /// Each sentence is synthesised on its own, as Piper does, which keeps memory flat on long text
    /// and gives the model the sentence-level prosody it was trained on.
    static func sentences(_ words: [String]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var lastClause: Int?
        for index in words.indices {
            if index == words.count - 1 || endsSentence(words[index]) {
                ranges.append(start..<index + 1)
                start = index + 1
                lastClause = nil
                continue
            }
            if punctuation(after: words[index], final: false) != nil { lastClause = index }
            if index - start + 1 >= maximumSentenceWords {
                let cut = lastClause.flatMap { $0 >= start + maximumSentenceWords / 2 ? $0 : nil } ?? index
                ranges.append(start..<cut + 1)
                start = cut + 1
                lastClause = nil
            }
        }
        return ranges
    }

    /// `word` without closing quotes and brackets, so its real final punctuation shows.
    private static func tail(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars)
        while let last = scalars.last, closers.contains(last) { scalars.removeLast() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Whether a sentence ends after `word`: a full stop, question or exclamation mark, unless the
    /// full stop belongs to an abbreviation ("Dr.", "e.g.", an initial) or is an ellipsis.
    static func endsSentence(_ word: String) -> Bool {
        let tail = tail(word)
        guard let last = tail.last, ".!?".contains(last) else { return false }
        guard last == "." else { return true }
        let stem = tail.dropLast()
        if stem.contains(".") { return false }
        if stem.count == 1, stem.first?.isLetter == true { return false }
        return !abbreviations.contains(stem.lowercased())
    }

    /// The punctuation Piper's input has after `word`.
    ///
    /// Piper appends each clause's terminator, as espeak-ng reports it, to the clause's phonemes:
    /// `.`, `?`, `!` at the end of a sentence, and `,`, `;`, `:` inside it. The command line does not
    /// report terminators, so they are read from the script: a sentence's last word always gets one
    /// (a full stop unless it asks or exclaims), dashes and ellipses inside a sentence pause like commas.
    static func punctuation(after word: String, final: Bool) -> Unicode.Scalar? {
        let tail = tail(word)
        if final {
            if tail.hasSuffix("?") { return "?" }
            if tail.hasSuffix("!") { return "!" }
            return "."
        }
        if tail.hasSuffix("...") || tail.hasSuffix("…") { return "," }
        guard let last = tail.unicodeScalars.last else { return nil }
        switch last {
        case ",", ";", ":": return last
        case "—", "–", "-": return ","
        default: return nil
        }
    }

    /// Piper's input for one sentence, with every id traced to the word it speaks.
    ///
    /// - Parameters:
    ///   - ipa: the sentence's IPA words, as espeak-ng said the whole sentence.
    ///   - wordIPA: each word's IPA when said alone, to find where one word ends in `ipa`.
    ///   - words: the sentence's script words.
    static func utterance(ipa: [String], wordIPA: [String], words: [String], voice: PiperVoice) -> Utterance {
        let tokens = ipa.map { Array($0.unicodeScalars) }
        let labels = label(tokens, with: wordIPA.map { Array($0.unicodeScalars.filter { $0 != " " }) })
        var phonemes: [Unicode.Scalar] = []
        var owners: [Int?] = []
        let flat = labels.flatMap { $0 }
        var position = 0
        for (index, token) in tokens.enumerated() {
            if index > 0 {
                phonemes.append(" ")
                owners.append(nil)
            }
            for scalar in token {
                let word = flat[position]
                phonemes.append(scalar)
                owners.append(word)
                position += 1
                // The word's punctuation follows its last phoneme (the sentence's own comes at the end).
                if position < flat.count, flat[position] != word, let mark = punctuation(after: words[word], final: false) {
                    phonemes.append(mark)
                    owners.append(nil)
                }
            }
        }
        if let last = words.last, let mark = punctuation(after: last, final: true) {
            phonemes.append(mark)
            owners.append(nil)
        }
        let (ids, sources) = voice.ids(for: phonemes)
        return Utterance(ids: ids, words: sources.map { $0.flatMap { owners[$0] } })
    }
}
