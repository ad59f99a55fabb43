public import Foundation

extension ClipTokenizer {
    /// Loads the tokenizer file of a CLIP export: Hugging Face's `tokenizer.json`, or OpenAI's
    /// `bpe_simple_vocab_16e6.txt.gz` (told apart by the name's `.gz`).
    ///
    /// - Throws: ``RelevanceError`` (`badTokenizer`) when the file is missing or not a CLIP tokenizer.
    public init(contentsOf file: URL) throws(RelevanceError) {
        if file.pathExtension == "gz" {
            try self.init(openAIVocabulary: file)
        } else {
            try self.init(huggingFaceTokenizer: file)
        }
    }

    /// Loads Hugging Face's `tokenizer.json` (`model.vocab`, `model.merges` as `"a b"` strings or
    /// `["a", "b"]` pairs).
    ///
    /// The padding id is the file's `padding.pad_id`, else the `pad_token` of a `tokenizer_config.json`
    /// beside it, else the end token (what Hugging Face's CLIP tokenizers pad with).
    public init(huggingFaceTokenizer file: URL) throws(RelevanceError) {
        func bad(_ why: String) -> RelevanceError {
            RelevanceError(.badTokenizer, "\(file.path) is not a CLIP tokenizer.json (\(why)); use the tokenizer.json of the CLIP export", path: file.path)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RelevanceError(.badTokenizer, "no tokenizer at \(file.path); a CLIP export needs tokenizer.json", path: file.path)
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let model = root["model"] as? [String: Any] else { throw bad("no \"model\"") }
        guard let rawVocabulary = model["vocab"] as? [String: Any] else { throw bad("no \"model.vocab\"") }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(rawVocabulary.count)
        for (token, id) in rawVocabulary {
            guard let id = (id as? NSNumber)?.intValue else { throw bad("a vocabulary id is not a number") }
            vocabulary[token] = id
        }
        for case let added as [String: Any] in root["added_tokens"] as? [Any] ?? [] {
            if let content = added["content"] as? String, let id = (added["id"] as? NSNumber)?.intValue {
                vocabulary[content] = id
            }
        }
        var merges: [(String, String)] = []
        for entry in model["merges"] as? [Any] ?? [] {
            if let text = entry as? String {
                let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw bad("merge \"\(text)\" is not two symbols") }
                merges.append((parts[0], parts[1]))
            } else if let pair = entry as? [String], pair.count == 2 {
                merges.append((pair[0], pair[1]))
            } else {
                throw bad("a merge is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        guard !merges.isEmpty else { throw bad("no \"model.merges\"") }
        var pad: Int?
        if let padding = root["padding"] as? [String: Any] {
            pad = (padding["pad_id"] as? NSNumber)?.intValue
        }
        if pad == nil { pad = Self.configuredPad(beside: file, vocabulary: vocabulary) }
        try self.init(vocabulary: vocabulary, merges: merges, padToken: pad)
    }

    /// Loads OpenAI's `bpe_simple_vocab_16e6.txt.gz` and builds the vocabulary as `simple_tokenizer.py`
    /// does: the 256 byte characters, the same with `</w>`, one token per merge, the two special tokens.
    /// Pads with 0, as OpenAI's `clip.tokenize` does.
    public init(openAIVocabulary file: URL) throws(RelevanceError) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RelevanceError(.badTokenizer, "no CLIP vocabulary at \(file.path)", path: file.path)
        }
        // The same gzip reader the hibari voice's tables use.
        guard let text = HibariAssets.gunzip([UInt8](data)) else {
            throw RelevanceError(.badTokenizer, "\(file.path) is not a gzip file; use OpenAI's bpe_simple_vocab_16e6.txt.gz", path: file.path)
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // The reference keeps lines 1 ..< 49152-256-2+1: the merges that, with the bytes, fill 49408 ids.
        let wanted = 49_152 - 256 - 2
        guard lines.count > wanted else {
            throw RelevanceError(.badTokenizer, "\(file.path) has \(lines.count) lines, fewer than CLIP's \(wanted) merges", path: file.path)
        }
        let merges = lines[1...wanted].map { line -> (String, String) in
            let parts = line.split(separator: " ")
            return (String(parts.first ?? ""), String(parts.dropFirst().first ?? ""))
        }
        let bytes = Self.byteVocabularyOrder.map { String($0) }
        var tokens = bytes + bytes.map { $0 + "</w>" }
        tokens += merges.map { $0.0 + $0.1 }
        tokens += ["<|startoftext|>", "<|endoftext|>"]
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() { vocabulary[token] = id }
        try self.init(vocabulary: vocabulary, merges: merges, padToken: 0)
    }

    /// The id of `pad_token` in a `tokenizer_config.json` next to `file`, when there is one.
    private static func configuredPad(beside file: URL, vocabulary: [String: Int]) -> Int? {
        let config = file.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        guard let data = FileManager.default.contents(atPath: config.path),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        let token = root["pad_token"] as? String ?? (root["pad_token"] as? [String: Any])?["content"] as? String
        return token.flatMap { vocabulary[$0] }
    }
}
