/// Splits a long sentence's phonemes at clause punctuation as `Hibari.phonemize` does
/// (`re.split(r"(?<=[,;:—])\s+", ps)`, then parts packed greedily up to the limit, joined by one space),
/// and hands each chunk the tokens whose phonemes it holds.
struct ClauseSplitter {
    private let tokens: [HibariToken]
    /// The joined phonemes before trimming, one code point per element.
    private let line: [Unicode.Scalar]
    /// Each token's phonemes as a range of `line`, and the index of its space (if any).
    private let spans: [(phonemes: Range<Int>, space: Int?)]

    init(tokens: [HibariToken]) {
        self.tokens = tokens
        var line: [Unicode.Scalar] = []
        var spans: [(phonemes: Range<Int>, space: Int?)] = []
        for token in tokens {
            let start = line.count
            line += token.phonemes.unicodeScalars
            let end = line.count
            if token.whitespace { line.append(" ") }
            spans.append((start..<end, token.whitespace ? end : nil))
        }
        self.line = line
        self.spans = spans
    }

    func chunks(maxPhonemes: Int) -> [HibariChunk] {
        // The trimmed line, as Python sees it.
        guard let first = line.firstIndex(where: { !$0.pyIsSpace }),
            let last = line.lastIndex(where: { !$0.pyIsSpace })
        else { return [] }
        let text = first...last
        // Clause breaks: runs of spaces right after , ; : or —.
        var breaks: [Range<Int>] = []
        var index = first + 1
        while index <= last {
            if line[index].pyIsSpace && ",;:—".unicodeScalars.contains(line[index - 1]) {
                var end = index
                while end <= last && line[end].pyIsSpace { end += 1 }
                breaks.append(index..<end)
                index = end
            } else {
                index += 1
            }
        }
        var parts: [Range<Int>] = []
        var partStart = text.lowerBound
        for gap in breaks {
            parts.append(partStart..<gap.lowerBound)
            partStart = gap.upperBound
        }
        parts.append(partStart..<(last + 1))
        // Greedy packing; each group is a run of parts (and the breaks between them).
        var groups: [[Int]] = []
        var current: [Int] = []
        var length = 0
        for (number, part) in parts.enumerated() {
            if !current.isEmpty && length + part.count + 1 > maxPhonemes {
                groups.append(current)
                current = [number]
                length = part.count
            } else {
                length += current.isEmpty ? part.count : part.count + 1
                current.append(number)
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.enumerated().map { number, group in
            let lower = number == 0 ? 0 : parts[group[0]].lowerBound
            let upper = number == groups.count - 1 ? line.count : parts[groups[number + 1][0]].lowerBound
            let innerBreaks = group.dropFirst().map { breaks[$0 - 1] }
            let phonemes = group.map { String(String.UnicodeScalarView(line[parts[$0]])) }.joined(separator: " ")
            return HibariChunk(phonemes: phonemes, tokens: tokens(in: lower..<upper, innerBreaks: innerBreaks))
        }
    }

    /// The tokens of the chunk spanning `region` of the line (its parts and the break after it): their
    /// phonemes cut to the region, and spaces after the first one in a folded clause break dropped.
    private func tokens(in region: Range<Int>, innerBreaks: [Range<Int>]) -> [HibariToken] {
        var out: [HibariToken] = []
        for (token, span) in zip(tokens, spans) {
            let phonemes = span.phonemes.clamped(to: region)
            let belongs = span.phonemes.isEmpty ? region.contains(span.phonemes.lowerBound) : !phonemes.isEmpty
            guard belongs || (region.upperBound == line.count && span.phonemes.lowerBound >= line.count) else {
                continue
            }
            var whitespace = token.whitespace
            if let space = span.space, innerBreaks.contains(where: { $0.contains(space) && $0.lowerBound != space }) {
                whitespace = false
            }
            let piece = phonemes == span.phonemes ? token.phonemes : String(String.UnicodeScalarView(line[phonemes]))
            out.append(HibariToken(text: token.text, phonemes: piece, whitespace: whitespace))
        }
        return out
    }
}
