public import Foundation

/// BERT's uncased WordPiece tokenizer, as Hugging Face's `tokenizers` computes it for
/// `sentence-transformers/all-MiniLM-L6-v2` (`BertNormalizer`, `BertPreTokenizer`, `WordPiece`),
/// giving the same ids.
///
/// 1. Cleaning: NUL, U+FFFD and control or format characters are dropped; whitespace becomes a space.
/// 2. CJK ideographs are spaced out, so each is a word of its own.
/// 3. Accents are stripped (canonical decomposition, then non-spacing marks dropped) and each
///    character is lower-cased on its own (no context rules, like Rust's `char::to_lowercase`).
/// 4. Words are split at whitespace, and every punctuation character (ASCII punctuation, or a Unicode
///    `P*` category) is a word of its own.
/// 5. Each word becomes the longest vocabulary prefix, then the longest `##`-continuation, and so on;
///    a word with a piece that is not in the vocabulary, or longer than ``maxWordCharacters``, is
///    `[UNK]` as a whole.
///
/// ``tokens(for:)`` adds `[CLS]` and `[SEP]` and truncates to ``maxLength`` ids in all.
public struct BertTokenizer: Sendable {
    /// The ids of one text, ready for the model: `[CLS]`, the word pieces, `[SEP]`.
    public struct Tokens: Sendable, Hashable {
        /// The ids, at most ``BertTokenizer/maxLength``.
        public var ids: [Int]
        /// Whether the word pieces were cut to fit.
        public var truncated: Bool
    }

    /// Ids per text at most, `[CLS]` and `[SEP]` included (all-MiniLM-L6-v2's `max_seq_length`).
    public let maxLength: Int
    /// Characters a word may have before it is `[UNK]` without trying (the reference's 100).
    public let maxWordCharacters: Int
    /// `[CLS]`'s id.
    public let classToken: Int
    /// `[SEP]`'s id.
    public let separatorToken: Int
    /// `[UNK]`'s id.
    public let unknownToken: Int
    /// `[PAD]`'s id.
    public let padToken: Int
    /// How many tokens the vocabulary has.
    public var vocabularySize: Int { vocabulary.count }

    let vocabulary: [String: Int]

    /// Creates a tokenizer from a vocabulary (token → id) that has BERT's special tokens.
    ///
    /// - Throws: ``RelevanceError`` (`badTokenizer`) when `[CLS]`, `[SEP]`, `[UNK]` or `[PAD]` is missing.
    public init(vocabulary: [String: Int], maxLength: Int = 256, maxWordCharacters: Int = 100) throws(RelevanceError) {
        guard let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"], let unk = vocabulary["[UNK]"],
              let pad = vocabulary["[PAD]"] else {
            throw RelevanceError(.badTokenizer, "the vocabulary has no [CLS], [SEP], [UNK] or [PAD] token; use the vocab.txt of a BERT uncased model")
        }
        self.vocabulary = vocabulary
        self.maxLength = max(2, maxLength)
        self.maxWordCharacters = maxWordCharacters
        classToken = cls
        separatorToken = sep
        unknownToken = unk
        padToken = pad
    }

    /// Loads `vocab.txt`: one token per line, its id being the line's number from 0.
    ///
    /// - Throws: ``RelevanceError`` (`badTokenizer`) when the file is missing or lacks BERT's special tokens.
    public init(vocabularyFile file: URL, maxLength: Int = 256) throws(RelevanceError) {
        guard let data = FileManager.default.contents(atPath: file.path), !data.isEmpty else {
            throw RelevanceError(.badTokenizer, "no BERT vocabulary at \(file.path); run `make bootstrap`", path: file.path)
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(32_000)
        var id = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if !token.isEmpty, vocabulary[token] == nil { vocabulary[token] = id }
            id += 1
        }
        do {
            try self.init(vocabulary: vocabulary, maxLength: maxLength)
        } catch {
            throw RelevanceError(.badTokenizer, "\(file.path) is not a BERT vocabulary (no [CLS], [SEP], [UNK] or [PAD]); use the model's vocab.txt", path: file.path)
        }
    }

    /// `[CLS]`, the word pieces of `text` (cut so that `[SEP]` fits in ``maxLength``), `[SEP]`.
    public func tokens(for text: String) -> Tokens {
        let pieces = encode(text, limit: maxLength - 2)
        return Tokens(ids: [classToken] + pieces.ids + [separatorToken], truncated: pieces.truncated)
    }

    /// The word-piece ids of `text`, without special tokens or truncation.
    public func encode(_ text: String) -> [Int] {
        encode(text, limit: .max).ids
    }

    /// The word-piece ids of `text`, stopping once `limit` ids are found.
    func encode(_ text: String, limit: Int) -> (ids: [Int], truncated: Bool) {
        var ids: [Int] = []
        for word in Self.words(in: Self.normalized(text)) {
            let pieces = wordPieces(word)
            if ids.count + pieces.count > limit {
                ids += pieces.prefix(limit - ids.count)
                return (ids, true)
            }
            ids += pieces
        }
        return (ids, false)
    }

    /// Greedy longest-match WordPiece of one word (Unicode scalars), or `[UNK]` for the whole word.
    func wordPieces(_ word: [Unicode.Scalar]) -> [Int] {
        guard word.count <= maxWordCharacters else { return [unknownToken] }
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknownToken] }
            pieces.append(found)
            start = end
        }
        return pieces
    }
}
