import Foundation

/// Kokoro's phoneme vocabulary: the model's input id of every phoneme (one code point each).
///
/// Read from `vocab.json` (`{"vocab": {"a": 43, …}}`, as kokoro-onnx publishes it). Code points it does
/// not list are left out of the model's input, as Kokoro itself does.
struct KokoroVocabulary: Sendable {
    /// The id of each phoneme.
    let ids: [Unicode.Scalar: Int64]

    private struct File: Decodable {
        var vocab: [String: Int64]
    }

    /// Reads the vocabulary at `url`.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the file is missing or not such a vocabulary.
    init(contentsOf url: URL) throws(VoiceError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VoiceError(.engineFailed, "Kokoro's vocabulary \(url.path) is missing; run `make bootstrap`")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw VoiceError(.engineFailed, "\(url.path) is not Kokoro's vocabulary ({\"vocab\": {phoneme: id}}); run `make bootstrap`")
        }
        var ids: [Unicode.Scalar: Int64] = [:]
        for (key, id) in file.vocab where key.unicodeScalars.count == 1 {
            if let scalar = key.unicodeScalars.first { ids[scalar] = id }
        }
        self.ids = ids
    }

    /// The model's input for a range of an utterance: the pad (0), the ids of the phonemes the
    /// vocabulary knows, the pad again; with, for each input, the utterance position it came from.
    func input(_ utterance: KokoroUtterance, _ range: Range<Int>) -> (ids: [Int64], positions: [Int?]) {
        var ids: [Int64] = [0]
        var positions: [Int?] = [nil]
        for position in range {
            guard let id = self.ids[utterance.phonemes[position]] else { continue }
            ids.append(id)
            positions.append(position)
        }
        ids.append(0)
        positions.append(nil)
        return (ids, positions)
    }
}
