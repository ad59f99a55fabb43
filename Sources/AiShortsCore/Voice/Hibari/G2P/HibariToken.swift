/// One word of a phonemized line, with its phonemes.
///
/// Tokens are the G2P's words after normalisation, so `text` is not always a slice of the original line:
/// "7:30" becomes the tokens "seven" and "thirty", and "$5" a silent "$" followed by "5" read "five dollars".
/// Joining `phonemes` (plus a space where `whitespace` is true) over a line's tokens and trimming gives
/// the line's phoneme string exactly.
public struct HibariToken: Sendable, Hashable {
    /// The token's text after normalisation.
    public var text: String
    /// Its phonemes in the model's alphabet; empty for silent tokens (such as a currency sign).
    public var phonemes: String
    /// Whether a space followed the token.
    public var whitespace: Bool

    /// Creates a token.
    public init(text: String, phonemes: String, whitespace: Bool) {
        self.text = text
        self.phonemes = phonemes
        self.whitespace = whitespace
    }
}

/// One piece of text the model speaks at once: a sentence, or a clause of a long sentence.
public struct HibariChunk: Sendable, Hashable {
    /// The phonemes, exactly one of Python's `Hibari.phonemize(text)` strings.
    public var phonemes: String
    /// The tokens whose phonemes make up `phonemes`, in order.
    ///
    /// Joining their phonemes (plus a space where `whitespace` is true) and trimming gives `phonemes`.
    /// A sentence that fits the model is one chunk with all its tokens. A longer one is split at clause
    /// punctuation (`, ; : —` and the spaces after it); then each token goes to the chunk that holds its
    /// phonemes, and a token without phonemes to the chunk where it stands (in a clause break: the chunk
    /// before the break). Python folds a run of spaces at a clause break into one space, so tokens whose
    /// space lies inside such a run after its first character have `whitespace` false here. In the rare case
    /// that one token's own phonemes contain a clause break (an unknown word such as "x—y" read piece by
    /// piece), the token is cut there and each chunk gets its piece under the same `text`.
    public var tokens: [HibariToken]

    /// Creates a chunk.
    public init(phonemes: String, tokens: [HibariToken]) {
        self.phonemes = phonemes
        self.tokens = tokens
    }
}
