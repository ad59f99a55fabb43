public import Foundation

/// Reads unknown words with hibari's out-of-vocabulary model (`oov.onnx`, a small character
/// transformer trained on espeak-ng's readings), as hibari's `oov.py` does.
///
/// Each word is one model run: its letters become ids (letters the model does not know are dropped,
/// at most `maxlen` are kept), and the output ids are collapsed CTC-style (repeats merged, blanks
/// dropped) into phonemes.
public struct HibariOOV: HibariOOVReader {
    private let session: OnnxSession
    private let inputIDs: [Unicode.Scalar: Int64]
    private let outputPhonemes: [Int64: String]
    private let maxLength: Int

    /// Loads `oov.onnx` (or `oov_gb.onnx` for the British voices) and its `.json` alphabet.
    ///
    /// - Throws: ``ModelError`` when ONNX Runtime cannot load the model; ``VoiceError`` (`engineFailed`)
    ///   when the alphabet file is missing or malformed.
    public init(assets: URL, british: Bool = false, threads: Int = 1) throws {
        let session = try OnnxSession(path: Self.modelURL(assets: assets, british: british), threads: threads)
        try self.init(assets: assets, british: british, session: session)
    }

    /// Uses a session already loaded from ``modelURL(assets:british:)`` (by ``ModelManager``, say) and
    /// reads its alphabet from `assets`.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the alphabet file is missing or malformed.
    public init(assets: URL, british: Bool = false, session: OnnxSession) throws {
        let name = british ? "oov_gb" : "oov"
        var inputs: [String] = []
        var outputs: [String] = []
        var maxLength = 0
        try HibariAssets.parse(name + ".json", in: assets) { scanner in
            try scanner.readObject { key, scanner in
                switch key {
                case "in": try scanner.readArray { inputs.append(try $0.readString()) }
                case "out": try scanner.readArray { outputs.append(try $0.readString()) }
                case "maxlen": maxLength = Int(try scanner.readNumber())
                default: _ = try scanner.readValue()
                }
            }
        }
        guard !inputs.isEmpty, !outputs.isEmpty, maxLength > 0 else {
            throw VoiceError(.engineFailed, "hibari asset \(name).json lacks its alphabets or maxlen")
        }
        var inputIDs: [Unicode.Scalar: Int64] = [:]
        // Python's dict keeps the last id of a repeated character; so does this loop.
        for (index, character) in inputs.enumerated() {
            let scalars = character.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first { inputIDs[scalar] = Int64(index + 1) }
        }
        self.inputIDs = inputIDs
        outputPhonemes = Dictionary(uniqueKeysWithValues: outputs.enumerated().map { (Int64($0 + 1), $1) })
        self.maxLength = maxLength
        self.session = session
    }

    /// The model file: `oov.onnx`, or `oov_gb.onnx` for the British voices.
    public static func modelURL(assets: URL, british: Bool = false) -> URL {
        assets.appendingPathComponent(british ? "oov_gb.onnx" : "oov.onnx")
    }

    /// The word's phonemes; nil when none of its letters is in the model's alphabet.
    ///
    /// - Throws: ``ModelError`` (`runFailed`) when the model run fails.
    public func phonemes(for word: String) throws -> String? {
        let ids = Array(word.unicodeScalars.compactMap { inputIDs[$0] }.prefix(maxLength))
        guard !ids.isEmpty else { return nil }
        let outputs = try session.run(["chars": .int64(ids, shape: [1, ids.count])])
        guard let first = session.outputNames.first, let values = outputs[first]?.int64s else {
            throw ModelError(.runFailed, "oov model gave no int64 output")
        }
        var phonemes = ""
        var previous: Int64 = 0
        for id in values {
            // An id past the alphabet would make Python raise; it is skipped here.
            if id != previous && id != 0, let phoneme = outputPhonemes[id] { phonemes += phoneme }
            previous = id
        }
        return phonemes
    }
}
