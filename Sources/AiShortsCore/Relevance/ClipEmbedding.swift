import Foundation

/// Unit-length embedding vectors: splitting a model's output into rows, normalising, comparing, storing.
enum ClipEmbedding {
    /// The `[count, D]` output as `count` L2-normalised rows.
    ///
    /// - Throws: ``RelevanceError`` (`badModel`) when the output is missing or not `[count, D]` floats.
    static func rows(of tensor: OnnxTensor?, count: Int, model: URL) throws(RelevanceError) -> [[Float]] {
        guard let tensor, let values = tensor.floats, tensor.shape.count == 2, tensor.shape[0] == count, tensor.shape[1] > 0 else {
            throw RelevanceError(.badModel, "\(model.lastPathComponent) gave embeddings of shape \(tensor?.shape ?? []) for \(count) inputs, not [\(count), D]; use a CLIP export", path: model.path)
        }
        let width = tensor.shape[1]
        return (0..<count).map { normalised(Array(values[($0 * width)..<(($0 + 1) * width)])) }
    }

    /// `vector` scaled to length 1; a zero vector stays zero (it then matches nothing).
    static func normalised(_ vector: [Float]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }

    /// Cosine similarity of two unit vectors; -1 (the lowest) when their widths differ.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return -1 }
        return Double(zip(a, b).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// The vector as little-endian float32 bytes, for the disk cache.
    static func data(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// A vector read back from ``data(_:)``; `nil` for a truncated or empty entry.
    static func vector(_ data: Data) -> [Float]? {
        guard !data.isEmpty, data.count % 4 == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { offset in
            let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            return Float(bitPattern: bits)
        }
    }
}
