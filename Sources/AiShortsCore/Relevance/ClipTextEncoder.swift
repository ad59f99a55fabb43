import Foundation

/// CLIP's text tower, loaded with its tokenizer: turns batches of texts into unit-length embeddings.
struct ClipTextEncoder: Sendable {
    let session: OnnxSession
    let tokenizer: ClipTokenizer
    /// Whether the graph takes an `attention_mask` (some exports do, OpenAI's own graph does not).
    let takesMask: Bool

    /// Wraps a loaded text model after checking it has a CLIP export's inputs and output.
    ///
    /// - Throws: ``RelevanceError`` (`badModel`) naming what the graph has instead.
    init(session: OnnxSession, tokenizer: ClipTokenizer) throws(RelevanceError) {
        let file = session.path.lastPathComponent
        let unknown = Set(session.inputNames).subtracting([ClipModel.textInput, ClipModel.textMask])
        guard session.inputNames.contains(ClipModel.textInput), unknown.isEmpty else {
            throw RelevanceError(.badModel, "\(file) has inputs \(session.inputNames), not CLIP's \"input_ids\" (and \"attention_mask\"); use the text_model.onnx of a CLIP export", path: session.path.path)
        }
        guard session.outputNames.contains(ClipModel.textOutput) else {
            throw RelevanceError(.badModel, "\(file) has outputs \(session.outputNames), not CLIP's \"text_embeds\"; use the text_model.onnx of a CLIP export", path: session.path.path)
        }
        self.session = session
        self.tokenizer = tokenizer
        takesMask = session.inputNames.contains(ClipModel.textMask)
    }

    /// Embeds `texts` in one run.
    ///
    /// - Returns: one L2-normalised embedding per text.
    /// - Throws: ``ModelError`` when the run fails, ``RelevanceError`` for a wrong output shape.
    func embed(_ texts: [String]) throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let tokens = texts.map { tokenizer.tokens(for: $0) }
        let shape = [texts.count, tokenizer.contextLength]
        var inputs = [ClipModel.textInput: OnnxTensor.int64(tokens.flatMap { $0.ids.map(Int64.init) }, shape: shape)]
        if takesMask {
            inputs[ClipModel.textMask] = .int64(tokens.flatMap { $0.attentionMask.map(Int64.init) }, shape: shape)
        }
        let output = try session.run(inputs, outputs: [ClipModel.textOutput])
        return try ClipEmbedding.rows(of: output[ClipModel.textOutput], count: texts.count, model: session.path)
    }
}
