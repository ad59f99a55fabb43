extension HibariG2P {
    /// The most phonemes the model reads at once; longer sentences are split at clause punctuation.
    public static let maxPhonemes = 400

    /// The sentences of a text as hibari splits it (`Hibari.split_sentences`): at line breaks, and after
    /// `.`, `!`, `?` or `…` (and closing quotes or brackets) followed by space, except after a title
    /// ("Dr. Smith"), an initial ("J. K. Rowling") or before a lowercase word.
    public func sentences(in text: String) -> [String] {
        var out: [String] = []
        for line in text.pyStripped.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let paragraph = Array(String(String.UnicodeScalarView(line)).pyStripped.unicodeScalars)
            var cut = 0
            var index = 1
            while index < paragraph.count {
                guard ".!?…".unicodeScalars.contains(paragraph[index - 1]) else {
                    index += 1
                    continue
                }
                var end = index
                while end < paragraph.count && "\"”’)]".unicodeScalars.contains(paragraph[end]) { end += 1 }
                let spaces = end
                while end < paragraph.count && paragraph[end].pyIsSpace { end += 1 }
                guard end > spaces, end < paragraph.count else {
                    index += 1
                    continue
                }
                if endsSentence(paragraph, at: index, next: paragraph[end]) {
                    out.append(EnglishTokenizer.string(paragraph[cut..<index]))
                    cut = end
                }
                index = end
            }
            out.append(EnglishTokenizer.string(paragraph[cut...]))
        }
        return out.filter { !$0.pyStripped.isEmpty }
    }

    /// `_ends_sentence`: false for a period after a title or an initial, or before a lowercase word.
    private func endsSentence(_ paragraph: [Unicode.Scalar], at end: Int, next: Unicode.Scalar) -> Bool {
        if String(next).pyIsLower { return false }
        if paragraph[end - 1] != "." { return true }
        let space = paragraph[..<end].lastIndex(of: " ").map { $0 + 1 } ?? 0
        var word = paragraph[space..<max(space, end - 1)]
        while let first = word.first, "(\"“'‘".unicodeScalars.contains(first) { word = word.dropFirst() }
        let text = EnglishTokenizer.string(word)
        return !(normalizer.titles[text] != nil || (word.count == 1 && text.pyIsUpper))
    }

    /// The model's phoneme strings for a whole text (Python's `Hibari.phonemize(text)`): one per
    /// sentence, long sentences split at clause punctuation.
    ///
    /// - Throws: what the OOV reader throws.
    public func chunks(for text: String) throws -> [String] {
        try phonemizeText(text).map(\.phonemes)
    }

    /// The model's chunks for a whole text with the tokens each one reads (see ``HibariChunk/tokens``).
    ///
    /// - Throws: what the OOV reader throws.
    public func phonemizeText(_ text: String) throws -> [HibariChunk] {
        var chunks: [HibariChunk] = []
        for sentence in sentences(in: text) {
            let tokens = try phonemize(line: sentence)
            let phonemes = Self.join(tokens)
            if phonemes.isEmpty { continue }
            if phonemes.unicodeScalars.count <= Self.maxPhonemes {
                chunks.append(HibariChunk(phonemes: phonemes, tokens: tokens))
            } else {
                chunks += ClauseSplitter(tokens: tokens).chunks(maxPhonemes: Self.maxPhonemes)
            }
        }
        return chunks
    }
}
