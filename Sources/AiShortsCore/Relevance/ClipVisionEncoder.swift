import Foundation

/// CLIP's image tower, loaded: turns batches of preprocessed pictures into unit-length embeddings.
struct ClipVisionEncoder: Sendable {
    let session: OnnxSession

    /// Wraps a loaded vision model after checking it has a CLIP export's input and output.
    ///
    /// - Throws: ``RelevanceError`` (`badModel`) naming what the graph has instead.
    init(session: OnnxSession) throws(RelevanceError) {
        let file = session.path.lastPathComponent
        guard session.inputNames.contains(ClipModel.visionInput) else {
            throw RelevanceError(.badModel, "\(file) has inputs \(session.inputNames), not CLIP's \"pixel_values\"; use the vision_model.onnx of a CLIP export", path: session.path.path)
        }
        guard session.outputNames.contains(ClipModel.visionOutput) else {
            throw RelevanceError(.badModel, "\(file) has outputs \(session.outputNames), not CLIP's \"image_embeds\"; use the vision_model.onnx of a CLIP export", path: session.path.path)
        }
        self.session = session
    }

    /// Embeds `count` pictures given as `[count, 3, size, size]` normalised floats, in one run.
    ///
    /// - Returns: one L2-normalised embedding per picture.
    /// - Throws: ``ModelError`` when the run fails, ``RelevanceError`` for a wrong output shape.
    func embed(pixels: [Float], count: Int, size: Int) throws -> [[Float]] {
        guard count > 0 else { return [] }
        let input = OnnxTensor.float(pixels, shape: [count, 3, size, size])
        let output = try session.run([ClipModel.visionInput: input], outputs: [ClipModel.visionOutput])
        return try ClipEmbedding.rows(of: output[ClipModel.visionOutput], count: count, model: session.path)
    }
}
