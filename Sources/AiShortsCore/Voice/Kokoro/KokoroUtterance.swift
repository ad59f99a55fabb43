/// One sentence made ready for Kokoro: its phonemes, and for each phoneme the script word it speaks.
///
/// Kokoro reads a string of phonemes (one code point each, spaces between words, punctuation as
/// pauses). The front ends (``JapaneseFrontEnd``, and espeak-ng for the other languages) build that
/// string word by word, so every phoneme is traced to the word it came from and the model's
/// per-phoneme durations give each word's time.
struct KokoroUtterance: Sendable, Hashable {
    /// The sentence's words, as the narration reports them.
    var words: [String]
    /// The phoneme string, code point by code point.
    var phonemes: [Unicode.Scalar]
    /// For each phoneme, the index in ``words`` of the word it belongs to; nil for spaces and punctuation.
    var owners: [Int?]

    /// An empty utterance for `words`.
    init(words: [String]) {
        self.words = words
        phonemes = []
        owners = []
    }

    /// Appends `text`'s code points, all belonging to `owner`.
    mutating func append(_ text: String, owner: Int?) {
        for scalar in text.unicodeScalars {
            phonemes.append(scalar)
            owners.append(owner)
        }
    }

    /// Whether no phoneme belongs to a word: there is nothing to say.
    var isSilent: Bool { !owners.contains { $0 != nil } }

    /// The phonemes as a string (for tests and messages).
    var text: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: phonemes)
        return String(view)
    }

    /// Cuts the utterance where the model's input would be longer than `limit` phonemes: at the last
    /// space or punctuation before the limit (else at the limit itself). Words keep their indices.
    func chunks(limit: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while phonemes.count - start > limit {
            let window = start..<start + limit
            let cut = window.reversed().first { owners[$0] == nil && $0 > start } ?? window.upperBound
            ranges.append(start..<cut)
            start = cut
        }
        if start < phonemes.count { ranges.append(start..<phonemes.count) }
        return ranges
    }
}
