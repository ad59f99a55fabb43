import Foundation

/// A sentence-embedding model loaded with its tokenizer (all-MiniLM-L6-v2): turns batches of texts
/// into unit-length vectors whose cosine similarity says how close their meanings are.
///
/// The graph takes `input_ids`, `attention_mask` and `token_type_ids` (int64, `[batch, tokens]`) and
/// gives `last_hidden_state` (`[batch, tokens, D]`); a text's embedding is the mean of its tokens'
/// states over the attention mask, L2-normalised, as sentence-transformers pools this model. Texts
/// of one run are padded to the longest with `[PAD]` and mask 0, so padding changes nothing.
/// Loaded and shared by the ``ModelManager`` (``TextEmbeddingModel/request(threads:)``).
struct TextEmbedder: Sendable {
    let session: OnnxSession
    let tokenizer: BertTokenizer

    /// Input and output names of the graph.
    static let ids = "input_ids", mask = "attention_mask", types = "token_type_ids", output = "last_hidden_state"

    /// Wraps a loaded model after checking it has a BERT encoder's inputs and output.
    ///
    /// - Throws: ``RelevanceError`` (`badModel`) naming what the graph has instead.
    init(session: OnnxSession, tokenizer: BertTokenizer) throws(RelevanceError) {
        let file = session.path.lastPathComponent
        let known: Set<String> = [Self.ids, Self.mask, Self.types]
        guard session.inputNames.contains(Self.ids), Set(session.inputNames).isSubset(of: known) else {
            throw RelevanceError(.badModel, "\(file) has inputs \(session.inputNames), not a BERT encoder's input_ids, attention_mask and token_type_ids; use all-MiniLM-L6-v2's model.onnx", path: session.path.path)
        }
        guard session.outputNames.contains(Self.output) else {
            throw RelevanceError(.badModel, "\(file) has outputs \(session.outputNames), not \"last_hidden_state\"; use all-MiniLM-L6-v2's model.onnx", path: session.path.path)
        }
        self.session = session
        self.tokenizer = tokenizer
    }

    /// Embeds `texts` in one run.
    ///
    /// - Returns: one L2-normalised embedding per text.
    /// - Throws: ``ModelError`` when the run fails, ``RelevanceError`` (`badModel`) for a wrong output shape.
    func embed(_ texts: [String]) throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let tokens = texts.map { tokenizer.tokens(for: $0).ids }
        let width = tokens.map(\.count).max() ?? 2
        var ids: [Int64] = []
        var mask: [Int64] = []
        ids.reserveCapacity(texts.count * width)
        mask.reserveCapacity(texts.count * width)
        for row in tokens {
            ids += row.map(Int64.init) + Array(repeating: Int64(tokenizer.padToken), count: width - row.count)
            mask += Array(repeating: 1, count: row.count) + Array(repeating: 0, count: width - row.count)
        }
        let shape = [texts.count, width]
        var inputs = [Self.ids: OnnxTensor.int64(ids, shape: shape)]
        if session.inputNames.contains(Self.mask) { inputs[Self.mask] = .int64(mask, shape: shape) }
        if session.inputNames.contains(Self.types) {
            inputs[Self.types] = .int64(Array(repeating: 0, count: ids.count), shape: shape)
        }
        let output = try session.run(inputs, outputs: [Self.output])
        return try Self.meanPooled(output[Self.output], mask: mask, count: texts.count, width: width, model: session.path)
    }

    /// The `[count, width, D]` states averaged over each row's mask, L2-normalised.
    ///
    /// - Throws: ``RelevanceError`` (`badModel`) when the output is missing or has another shape.
    static func meanPooled(_ tensor: OnnxTensor?, mask: [Int64], count: Int, width: Int, model: URL) throws(RelevanceError) -> [[Float]] {
        guard let tensor, let states = tensor.floats, tensor.shape.count == 3, tensor.shape[0] == count,
              tensor.shape[1] == width, tensor.shape[2] > 0 else {
            throw RelevanceError(.badModel, "\(model.lastPathComponent) gave last_hidden_state of shape \(tensor?.shape ?? []) for \(count) texts of \(width) tokens, not [\(count), \(width), D]; use all-MiniLM-L6-v2's model.onnx", path: model.path)
        }
        let depth = tensor.shape[2]
        return (0..<count).map { row in
            var sum = [Float](repeating: 0, count: depth)
            var used: Float = 0
            for token in 0..<width where mask[row * width + token] != 0 {
                let base = (row * width + token) * depth
                for dimension in 0..<depth { sum[dimension] += states[base + dimension] }
                used += 1
            }
            if used > 0 { sum = sum.map { $0 / used } }
            return ClipEmbedding.normalised(sum)
        }
    }
}
