extension PiperNarrator {
    /// Beyond this many alignment cells a sentence's words are placed by position instead (memory bound).
    static let maximumAlignmentCells = 4_000_000

    /// Stress and length marks: espeak-ng drops and moves them between a word alone and in a sentence.
    static let marks = Set("ˈˌːˑ".unicodeScalars)
    /// Vowels, which espeak-ng reduces in unstressed words of a sentence ("to" is tuː alone, tə in one).
    static let vowels = Set("aeiouyæɐɑɒɔəɚɛɜɞɘɤɨɪɯʉʊʌʏøœɵɶᵻ".unicodeScalars)

    /// Labels every phoneme of a sentence with the index of the script word it belongs to.
    ///
    /// espeak-ng's IPA words are not the script's words: it reads "$9.99" as five words and "2024" as
    /// four, and merges unstressed words ("in the" is one IPA word, `ɪnðə`). So the sentence's phonemes
    /// are aligned, one by one, with the words' phonemes said alone (a weighted edit distance: marks
    /// are cheap to skip, a vowel for a vowel is half a mismatch). An aligned phoneme takes its word's
    /// index; one without a counterpart takes its neighbour's in the same IPA word, so the labels never
    /// decrease and each word's phonemes are one run.
    /// - Returns: per IPA word of the sentence, per phoneme, a word index in `0..<words.count`.
    static func label(_ tokens: [[Unicode.Scalar]], with words: [[Unicode.Scalar]]) -> [[Int]] {
        let a = words.enumerated().flatMap { word, scalars in scalars.map { (word, $0) } }
        let b = tokens.enumerated().flatMap { token, scalars in scalars.map { (token, $0) } }
        var labels = [Int?](repeating: nil, count: b.count)
        if !a.isEmpty, !b.isEmpty, (a.count + 1) * (b.count + 1) <= maximumAlignmentCells {
            for (index, match) in align(a.map(\.1), b.map(\.1)) { labels[index] = a[match].0 }
            // Unmatched phonemes join a neighbour in their IPA word first, then any neighbour.
            for sameToken in [true, false] {
                for index in labels.indices.dropFirst() where labels[index] == nil && (!sameToken || b[index - 1].0 == b[index].0) {
                    labels[index] = labels[index - 1]
                }
                for index in labels.indices.dropLast().reversed() where labels[index] == nil && (!sameToken || b[index + 1].0 == b[index].0) {
                    labels[index] = labels[index + 1]
                }
            }
        }
        var position = 0
        return tokens.enumerated().map { token, scalars in
            scalars.map { _ in
                defer { position += 1 }
                // Nothing to align with (espeak-ng said nothing for the words alone): place by position.
                return labels[position] ?? min(words.count - 1, token * words.count / max(tokens.count, 1))
            }
        }
    }

    /// Pairs of (index in `b`, index in `a`) for the phonemes a least-cost alignment puts together.
    private static func align(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> [(Int, Int)] {
        func skip(_ x: Unicode.Scalar) -> Int32 { marks.contains(x) ? 2 : 10 }
        func change(_ x: Unicode.Scalar, _ y: Unicode.Scalar) -> Int32 {
            if x == y { return 0 }
            if marks.contains(x) && marks.contains(y) { return 2 }
            if vowels.contains(x) && vowels.contains(y) { return 5 }
            return marks.contains(x) || marks.contains(y) ? 15 : 10
        }
        let width = b.count + 1
        var cost = [Int32](repeating: 0, count: (a.count + 1) * width)
        for j in b.indices { cost[j + 1] = cost[j] + skip(b[j]) }
        for i in a.indices {
            let row = (i + 1) * width
            cost[row] = cost[row - width] + skip(a[i])
            for j in b.indices {
                cost[row + j + 1] = min(cost[row - width + j] + change(a[i], b[j]),
                                        cost[row - width + j + 1] + skip(a[i]),
                                        cost[row + j] + skip(b[j]))
            }
        }
        var pairs: [(Int, Int)] = []
        var i = a.count
        var j = b.count
        while i > 0 && j > 0 {
            let here = cost[i * width + j]
            if here == cost[(i - 1) * width + j - 1] + change(a[i - 1], b[j - 1]) {
                pairs.append((j - 1, i - 1))
                i -= 1
                j -= 1
            } else if here == cost[(i - 1) * width + j] + skip(a[i - 1]) {
                i -= 1
            } else {
                j -= 1
            }
        }
        return pairs.reversed()
    }

    /// Each word's time in one synthesised sentence, in seconds from the sentence's first sample.
    ///
    /// The model's `durations` give every input id a whole number of frames, and a word's span runs
    /// from its first id to its last (each phoneme with the pad after it), so the times are the
    /// model's own, not estimates. The frame length is taken from the audio (its seconds over the
    /// frames), which for Piper's VITS voices is exactly the hop of 256 samples. A word that got no
    /// phoneme (espeak-ng said nothing for it) shares the pause around it, or its neighbour's span
    /// when there is no pause, in proportion to its letters.
    static func timings(words: [String], utterance: Utterance, durations: [Float], seconds: Double) -> [TimedWord] {
        var starts = [Double](repeating: 0, count: durations.count + 1)
        for (index, frames) in durations.enumerated() { starts[index + 1] = starts[index] + Double(max(frames, 0)) }
        let frameSeconds = starts[durations.count] > 0 ? seconds / starts[durations.count] : 0
        var first = [Int?](repeating: nil, count: words.count)
        var last = [Int?](repeating: nil, count: words.count)
        for (index, word) in utterance.words.enumerated() {
            guard let word, index < durations.count else { continue }
            if first[word] == nil { first[word] = index }
            last[word] = index
        }
        let spans: [ClosedRange<Double>?] = words.indices.map { word in
            guard let from = first[word], let to = last[word] else { return nil }
            return starts[from] * frameSeconds...starts[to + 1] * frameSeconds
        }
        return filled(words, spans: spans, within: 0...seconds)
    }

    /// Every word's time from the spans the model gave (`nil`: a word that got no phoneme, nothing to say
    /// in it): such a word shares the pause around it, or its neighbour's span when there is no pause,
    /// in proportion to its letters, so times stay in order. Kokoro's narrations are filled the same way.
    static func filled(_ words: [String], spans given: [ClosedRange<Double>?], within bounds: ClosedRange<Double>) -> [TimedWord] {
        var spans = given
        var index = 0
        while index < words.count {
            guard spans[index] == nil else {
                index += 1
                continue
            }
            var end = index
            while end < words.count, spans[end] == nil { end += 1 }
            var from = index
            var to = end
            var lower = index > 0 ? spans[index - 1]?.upperBound ?? bounds.lowerBound : bounds.lowerBound
            var upper = end < words.count ? spans[end]?.lowerBound ?? bounds.upperBound : bounds.upperBound
            if upper - lower < 0.04 * Double(end - index) {
                // No pause to give: share the neighbour's span too.
                if index > 0 {
                    from -= 1
                    lower = spans[from]?.lowerBound ?? lower
                } else if end < words.count {
                    to += 1
                    upper = spans[end]?.upperBound ?? upper
                }
            }
            for (offset, span) in spread(Array(words[from..<to]), over: lower...max(lower, upper)).enumerated() {
                spans[from + offset] = span
            }
            index = to
        }
        return zip(words, spans).map { word, span in
            TimedWord(text: word, start: span?.lowerBound ?? bounds.lowerBound, end: span?.upperBound ?? bounds.lowerBound)
        }
    }

    /// `words` one after another over `span`, each in proportion to its letters and digits.
    static func spread(_ words: [String], over span: ClosedRange<Double>) -> [ClosedRange<Double>] {
        let weights = words.map { Double(max(1, $0.filter { $0.isLetter || $0.isNumber }.count)) }
        let total = weights.reduce(0, +)
        var start = span.lowerBound
        return weights.map { weight in
            let end = start + (span.upperBound - span.lowerBound) * weight / total
            defer { start = end }
            return start...end
        }
    }
}
