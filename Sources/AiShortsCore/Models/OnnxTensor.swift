/// A tensor going into or coming out of an ONNX model: a shape and its elements in row-major order.
///
/// Only the element types the project's models use are supported: `float` and `int64`.
public struct OnnxTensor: Sendable, Hashable {
    /// The elements, by type.
    public enum Elements: Sendable, Hashable {
        /// 32-bit floats.
        case float([Float])
        /// 64-bit integers.
        case int64([Int64])
    }

    /// The dimensions; their product is the element count.
    public var shape: [Int]
    /// The elements in row-major order.
    public var elements: Elements

    /// Creates a tensor; `shape`'s product must equal the element count.
    public init(shape: [Int], elements: Elements) {
        self.shape = shape
        self.elements = elements
    }

    /// A float tensor.
    public static func float(_ values: [Float], shape: [Int]) -> OnnxTensor {
        OnnxTensor(shape: shape, elements: .float(values))
    }

    /// An int64 tensor.
    public static func int64(_ values: [Int64], shape: [Int]) -> OnnxTensor {
        OnnxTensor(shape: shape, elements: .int64(values))
    }

    /// The elements when this is a float tensor.
    public var floats: [Float]? {
        if case .float(let values) = elements { return values }
        return nil
    }

    /// The elements when this is an int64 tensor.
    public var int64s: [Int64]? {
        if case .int64(let values) = elements { return values }
        return nil
    }

    /// How many elements the tensor holds.
    public var count: Int {
        switch elements {
        case .float(let values): values.count
        case .int64(let values): values.count
        }
    }
}
