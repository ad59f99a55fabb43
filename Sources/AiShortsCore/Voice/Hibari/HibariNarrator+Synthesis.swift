import HibariKernels
extension HibariNarrator {
    /// One chunk through the acoustic model and the vocoder.
    ///
    /// - Parameter offset: where the chunk starts in the narration, in seconds.
    /// - Returns: the chunk's samples and its tokens with their times in the narration.
    func synthesize(_ chunk: HibariChunk, session: OnnxSession, vocabulary: HibariVocabulary, vocoder: HibariVocoder,
                    noise: inout HibariGaussianNoise, offset: Double) throws -> ([Float], [WordAligner.Spoken]) {
        let ids = vocabulary.ids(for: chunk.phonemes)
        let outputs = try session.run(["ids": .int64(ids, shape: [1, ids.count]), "speed": .float([Float(speed)], shape: [1])])
        func floats(_ name: String) throws -> [Float] {
            guard let values = outputs[name]?.floats else {
                throw VoiceError(.engineFailed, "hibari.onnx gave no \"\(name)\"; reinstall the voice with `make bootstrap`")
            }
            return values
        }
        guard let durations = outputs["durations"]?.int64s, durations.count == ids.count else {
            throw VoiceError(.engineFailed, "hibari.onnx has no durations output; run `make bootstrap` to install the adjusted model")
        }
        let spectra = HibariSpectra(lh: try floats("lh"), theta: try floats("theta"), ln: try floats("ln"), lr: try floats("lr"),
                                    phi: try floats("phi"), f0: try floats("f0"))
        let samples = vocoder.synthesize(spectra, noise: &noise)
        let tokens = Self.tokenTimes(chunk, vocabulary: vocabulary, durations: durations,
                                     secondsPerUnit: Double(samples.count) / Double(max(1, durations.reduce(0, +))) / Double(Self.sampleRate),
                                     offset: offset)
        return (samples, tokens)
    }

    /// When each token of `chunk` is heard, from the model's per-phoneme durations.
    ///
    /// The model's inputs are the chunk's phoneme string, code point by code point (those in the
    /// vocabulary), between two pads. Rebuilding that string from the tokens (phonemes, then a space
    /// where the text had one; trimmed like the front end trims) tells which input belongs to which
    /// token; a token spans from its first input's start to its last input's end.
    static func tokenTimes(_ chunk: HibariChunk, vocabulary: HibariVocabulary, durations: [Int64],
                           secondsPerUnit: Double, offset: Double) -> [WordAligner.Spoken] {
        var owner: [Int?] = []       // per code point of the joined string: its token (spaces: nil)
        var scalars: [Unicode.Scalar] = []
        for (index, token) in chunk.tokens.enumerated() {
            for scalar in token.phonemes.unicodeScalars {
                scalars.append(scalar)
                owner.append(index)
            }
            if token.whitespace {
                scalars.append(" ")
                owner.append(nil)
            }
        }
        var lower = 0, upper = scalars.count
        while lower < upper && scalars[lower].properties.isWhitespace { lower += 1 }
        while upper > lower && scalars[upper - 1].properties.isWhitespace { upper -= 1 }

        var starts = [Int64](repeating: 0, count: durations.count + 1)
        for (index, duration) in durations.enumerated() { starts[index + 1] = starts[index] + duration }
        var spans: [Int: (first: Int, last: Int)] = [:]
        var input = 1                // inputs[0] is the leading pad
        for position in lower..<upper where vocabulary.id(for: scalars[position]) != nil {
            if let token = owner[position], input < durations.count - 1 {
                let span = spans[token] ?? (input, input)
                spans[token] = (span.first, input)
            }
            input += 1
        }
        return spans.keys.sorted().map { index in
            let span = spans[index]!
            return WordAligner.Spoken(text: chunk.tokens[index].text,
                                      start: offset + Double(starts[span.first]) * secondsPerUnit,
                                      end: offset + Double(starts[span.last + 1]) * secondsPerUnit)
        }
    }
}
