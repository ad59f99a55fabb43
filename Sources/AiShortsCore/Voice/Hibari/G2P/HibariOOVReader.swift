/// Reads words the lexicon does not know (hibari's `oov.onnx`).
///
/// The G2P calls it for each run of letters it cannot find in the lexicon, its stems or its special cases.
public protocol HibariOOVReader: Sendable {
    /// Phonemes for one word of letters; nil when the reader has nothing to say for it.
    ///
    /// - Throws: when the model cannot be run; the G2P passes the error on.
    func phonemes(for word: String) throws -> String?
}
