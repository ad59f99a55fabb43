import Foundation

/// Gives the script's words the times of the words a neural voice actually spoke.
///
/// A neural voice speaks its own tokens, which are not always the script's words: "$9.99" is spoken
/// as five words, "Dr." becomes "Doctor", punctuation is split off. The engine knows when each of
/// its tokens is heard (from the model's phoneme durations); this matches the two sequences and
/// moves the times across:
/// 1. Both sides are reduced to keys (case- and accent-folded letters and digits in any script, see
///    ``key(_:)``). The longest common
///    subsequence of equal keys pairs the words that are spelled the same; a paired script word
///    takes its token's span exactly.
/// 2. Between two pairs, the unpaired script words share the span of the unpaired tokens there (or,
///    when there are none, the pause between the pairs), in proportion to their length in letters.
/// The result has one ``TimedWord`` per script word, in order, with non-decreasing times.
public enum WordAligner {
    /// A token the voice spoke, with when it is heard.
    public struct Spoken: Sendable, Hashable {
        /// The token's text, as the engine read it.
        public var text: String
        /// When it starts, in seconds.
        public var start: Double
        /// When it ends.
        public var end: Double

        /// Creates a spoken token.
        public init(text: String, start: Double, end: Double) {
            self.text = text
            self.start = start
            self.end = end
        }
    }

    /// Beyond this many cells the pairing falls back to spreading times by length (memory bound).
    static let maximumCells = 4_000_000

    /// Times for `script` (the words of one sentence or chunk) from the tokens the voice spoke.
    ///
    /// - Parameters:
    ///   - script: the words as the script has them.
    ///   - spoken: the voice's tokens with times, in order; tokens without letters or digits are ignored.
    ///   - span: where the words may lie when no token is usable (start and end of the chunk's speech).
    public static func align(script: [String], spoken: [Spoken], span: ClosedRange<Double>) -> [TimedWord] {
        guard !script.isEmpty else { return [] }
        let tokens = spoken.filter { !key($0.text).isEmpty }
        guard !tokens.isEmpty else { return spread(script, over: span) }
        let scriptKeys = script.map(key)
        let tokenKeys = tokens.map(\.text).map(key)
        let pairs = scriptKeys.count * tokenKeys.count <= maximumCells ? commonSubsequence(scriptKeys, tokenKeys) : []

        var result: [TimedWord] = []
        result.reserveCapacity(script.count)
        var nextWord = 0
        var nextToken = 0
        var cursor = min(span.lowerBound, tokens[0].start)
        for (word, token) in pairs + [(script.count, tokens.count)] {
            // Unpaired script words before this pair take the unpaired tokens' span (or the pause).
            if word > nextWord {
                let start = nextToken < token ? tokens[nextToken].start : cursor
                let end = nextToken < token ? tokens[token - 1].end : (token < tokens.count ? tokens[token].start : span.upperBound)
                result += spread(Array(script[nextWord..<word]), over: max(start, cursor)...max(end, start, cursor))
            }
            guard word < script.count else { break }
            let start = max(tokens[token].start, result.last?.end ?? cursor)
            result.append(TimedWord(text: script[word], start: start, end: max(start, tokens[token].end)))
            cursor = result[result.count - 1].end
            nextWord = word + 1
            nextToken = token + 1
        }
        return result
    }

    /// What must match for two words to pair: the letters (and their combining signs) and digits of
    /// `text` in any script, compatibility-folded (full-width `９` is `9`) and case-folded.
    ///
    /// Accents on Latin, Greek and Cyrillic letters are folded away, so `nao` pairs with `não` and
    /// `acao` with `ação` (a voice's front end may spell a word without them); Arabic's optional
    /// vowel marks are folded too. Other scripts keep their signs: a Devanagari vowel sign or a
    /// kana's voicing mark changes the word.
    static func key(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for character in text.precomposedStringWithCompatibilityMapping.lowercased() {
            let decomposed = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            guard let base = decomposed.first else { continue }
            let foldsMarks = base.value < 0x0530 || (0x1E00...0x1FFF).contains(base.value) || (0x0600...0x06FF).contains(base.value)
            let kept = decomposed.filter { scalar in
                let isMark = [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory)
                if isMark { return !foldsMarks }
                return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            }
            guard kept.first == base else { continue }
            scalars.append(contentsOf: String(String.UnicodeScalarView(kept)).precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        return String(scalars)
    }

    /// Words spread over `span` in proportion to their letter counts (at least one each).
    static func spread(_ words: [String], over span: ClosedRange<Double>) -> [TimedWord] {
        let weights = words.map { Double(max(1, key($0).count)) }
        let total = weights.reduce(0, +)
        var start = span.lowerBound
        let length = span.upperBound - span.lowerBound
        return zip(words, weights).map { word, weight in
            let end = start + length * weight / total
            defer { start = end }
            return TimedWord(text: word, start: start, end: end)
        }
    }

    /// Index pairs of a longest common subsequence of equal, non-empty keys, in order.
    static func commonSubsequence(_ a: [String], _ b: [String]) -> [(Int, Int)] {
        let n = a.count, m = b.count
        // lengths[i][j] = LCS length of a[i...] and b[j...], flattened.
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * (m + 1) + j] = !a[i].isEmpty && a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < n && j < m {
            if !a[i].isEmpty && a[i] == b[j] {
                pairs.append((i, j))
                i += 1
                j += 1
            } else if lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return pairs
    }
}
