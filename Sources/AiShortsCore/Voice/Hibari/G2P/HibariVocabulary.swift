public import Foundation

/// The hibari model's phoneme alphabet (`vocab.json`): one id per phoneme code point.
public struct HibariVocabulary: Sendable {
    private let ids: [Unicode.Scalar: Int64]

    /// Reads `vocab.json` from hibari's asset directory.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the file is missing or malformed.
    public init(assets: URL) throws {
        ids = try HibariAssets.parse("vocab.json", in: assets) { scanner in
            var table: [Unicode.Scalar: Int64] = [:]
            try scanner.readObject { key, scanner in
                let id = try scanner.readNumber()
                let scalars = key.unicodeScalars
                // Python looks up one code point at a time, so longer keys can never match.
                if scalars.count == 1, let scalar = scalars.first { table[scalar] = Int64(id) }
            }
            return table
        }
    }

    /// The model's input ids for a phoneme string (Python's `Hibari.ids`): 0, then the id of each code
    /// point the alphabet has (others are skipped), then 0.
    public func ids(for phonemes: String) -> [Int64] {
        [0] + phonemes.unicodeScalars.compactMap { ids[$0] } + [0]
    }

    /// The id of one phoneme code point, if the alphabet has it.
    public func id(for phoneme: Unicode.Scalar) -> Int64? { ids[phoneme] }
}
