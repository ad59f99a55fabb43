import Foundation
import Synchronization

/// CLIP's byte-level BPE tokenizer, as OpenAI's `simple_tokenizer.py` and Hugging Face's CLIP
/// tokenizer compute it, giving the same token ids.
///
/// Text is cleaned and lower-cased (``ClipTextCleaner``), split into words by the reference's pattern
/// (`'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`, the two special tokens kept whole),
/// each word's UTF-8 bytes mapped to printable characters, `</w>` added to its last one, and pairs
/// merged by rank until none is left. Words already seen come from a cache.
///
/// A text model takes ``contextLength`` ids: the start token, the words (cut so that the end token
/// always fits) and the end token, then padding. Which id pads depends on the export: OpenAI's code
/// pads with 0 and pools at the argmax id (the end token, 49407, the largest); Hugging Face exports
/// usually pad with the end token itself and pool at its first occurrence. Both models pool at the
/// first end token and are causal, so either padding gives the same embedding; this tokenizer uses
/// what its file says, and the attention mask marks only the real tokens.
public struct ClipTokenizer: Sendable {
    /// The ids of one text, ready for a text model.
    public struct Tokens: Sendable, Hashable {
        /// ``ClipTokenizer/contextLength`` ids: start, words, end, padding.
        public var ids: [Int]
        /// How many of `ids` are real tokens (start to end inclusive); the rest is padding.
        public var length: Int

        /// 1 for each real token, 0 for padding.
        public var attentionMask: [Int] { ids.indices.map { $0 < length ? 1 : 0 } }
    }

    /// Ids a CLIP text model takes per text.
    public let contextLength: Int
    /// `<|startoftext|>`'s id.
    public let startToken: Int
    /// `<|endoftext|>`'s id.
    public let endToken: Int
    /// The id that fills the context after the end token.
    public let padToken: Int
    /// How many tokens the vocabulary has.
    public var vocabularySize: Int { encoder.count }

    let encoder: [String: Int]
    /// Merge ranks keyed by the pair joined with a space (byte-level symbols never contain one).
    let ranks: [String: Int]
    private let words = WordCache()

    /// Creates a tokenizer from a vocabulary and its merges in rank order.
    ///
    /// - Parameters:
    ///   - vocabulary: token → id, including the two special tokens.
    ///   - merges: pairs of symbols, most preferred first.
    ///   - padToken: the padding id; `nil` pads with the end token.
    /// - Throws: ``RelevanceError`` (`badTokenizer`) when the special tokens are missing.
    public init(vocabulary: [String: Int], merges: [(String, String)], padToken: Int? = nil,
                contextLength: Int = 77) throws(RelevanceError) {
        guard let start = vocabulary["<|startoftext|>"], let end = vocabulary["<|endoftext|>"] else {
            throw RelevanceError(.badTokenizer, "the CLIP vocabulary has no <|startoftext|> or <|endoftext|> token; use the tokenizer of a CLIP export")
        }
        encoder = vocabulary
        var ranks: [String: Int] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, pair) in merges.enumerated() where ranks["\(pair.0) \(pair.1)"] == nil {
            ranks["\(pair.0) \(pair.1)"] = rank
        }
        self.ranks = ranks
        startToken = start
        endToken = end
        self.padToken = padToken ?? end
        self.contextLength = max(2, contextLength)
    }

    /// The BPE ids of `text`, without start, end or padding (OpenAI's `encode`).
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for word in Self.split(ClipTextCleaner.clean(text)) {
            ids += bpeIDs(word)
        }
        return ids
    }

    /// `text` as a text model takes it: start, ids cut to fit, end, padding (`clip.tokenize(truncate=True)`).
    public func tokens(for text: String) -> Tokens {
        let body = encode(text).prefix(contextLength - 2)
        var ids = [startToken] + body + [endToken]
        let length = ids.count
        ids += Array(repeating: padToken, count: contextLength - length)
        return Tokens(ids: ids, length: length)
    }

    /// The ids of one word (a piece of the split), from the cache when seen before.
    func bpeIDs(_ word: String) -> [Int] {
        if let special = encoder[word], word == "<|startoftext|>" || word == "<|endoftext|>" { return [special] }
        let characters = Self.byteEncoded(word)
        // Keyed by the byte characters: two canonically equivalent words are equal Swift strings,
        // but their bytes, and so their tokens, differ.
        let key = characters.joined()
        if let cached = words.ids(for: key) { return cached }
        let ids = bpe(characters).compactMap { encoder[$0] }
        words.store(ids, for: key)
        return ids
    }

    /// Merges `symbols` (the last one carrying `</w>`) by rank until no known pair is left.
    func bpe(_ characters: [String]) -> [String] {
        guard var last = characters.last else { return [] }
        last += "</w>"
        var word = Array(characters.dropLast()) + [last]
        while word.count > 1 {
            var best: (rank: Int, first: String, second: String)?
            for index in 0..<(word.count - 1) {
                if let rank = ranks["\(word[index]) \(word[index + 1])"], rank < (best?.rank ?? .max) {
                    best = (rank, word[index], word[index + 1])
                }
            }
            guard let best else { break }
            // Every occurrence of the pair, left to right, as the reference does.
            var merged: [String] = []
            merged.reserveCapacity(word.count)
            var index = 0
            while index < word.count {
                if index < word.count - 1, word[index] == best.first, word[index + 1] == best.second {
                    merged.append(best.first + best.second)
                    index += 2
                } else {
                    merged.append(word[index])
                    index += 1
                }
            }
            word = merged
        }
        return word
    }

    /// A word's UTF-8 bytes as the printable characters the vocabulary is written in, one string per byte.
    static func byteEncoded(_ word: String) -> [String] {
        word.utf8.map { byteSymbols[Int($0)] }
    }

    /// GPT-2's reversible byte → character table: printable Latin-1 bytes stand for themselves, the
    /// others (controls, space, soft hyphen) for code points from 256 on, in byte order.
    static let byteCharacters: [Unicode.Scalar] = {
        let printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next = 256
        for byte in 0..<256 {
            if printable.contains(byte) {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(UInt32(next))!
                next += 1
            }
        }
        return table
    }()

    static let byteSymbols: [String] = byteCharacters.map { String($0) }

    /// The reference's order of the 256 byte characters (its vocabulary starts with them).
    static var byteVocabularyOrder: [Unicode.Scalar] {
        let printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        let others = (0..<256).filter { !printable.contains($0) }
        return (printable + others).map { byteCharacters[$0] }
    }
}

/// The per-word cache: a tokenizer is shared by concurrent jobs, so its memo is behind a lock.
private final class WordCache: Sendable {
    private static let limit = 50_000
    private let table = Mutex<[String: [Int]]>([:])

    func ids(for word: String) -> [Int]? {
        table.withLock { $0[word] }
    }

    func store(_ ids: [Int], for word: String) {
        table.withLock { table in
            // Scripts use a few thousand words; a bound keeps a long-running server from growing forever.
            if table.count >= Self.limit { table.removeAll(keepingCapacity: true) }
            table[word] = ids
        }
    }
}
