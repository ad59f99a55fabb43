import Foundation
import COnnxRuntime

extension OnnxSession {
    /// Runs the model once.
    ///
    /// - Parameters:
    ///   - inputs: a tensor for every input the model has, by name.
    ///   - outputs: the outputs wanted; all of them when `nil`.
    /// - Returns: the wanted outputs by name, copied out of ONNX Runtime's memory.
    /// - Throws: ``ModelError`` (`runFailed`) with ONNX Runtime's message (a wrong shape, a missing input).
    public func run(_ inputs: [String: OnnxTensor], outputs: [String]? = nil) throws(ModelError) -> [String: OnnxTensor] {
        let wanted = outputs ?? outputNames
        for name in inputNames where inputs[name] == nil {
            throw ModelError(.runFailed, "\(path.lastPathComponent) needs an input named \"\(name)\"")
        }
        var allocator: UnsafeMutablePointer<OrtAllocator>?
        try OnnxRuntime.check(api.pointee.GetAllocatorWithDefaultOptions(&allocator), api, .runFailed, "running \(path.lastPathComponent)")

        let inputOrder = inputNames.filter { inputs[$0] != nil }
        var inputValues: [OpaquePointer?] = []
        var outputValues = [OpaquePointer?](repeating: nil, count: wanted.count)
        defer {
            for value in inputValues + outputValues where value != nil { api.pointee.ReleaseValue(value) }
        }
        for name in inputOrder {
            inputValues.append(try makeValue(inputs[name]!, allocator: allocator, name: name))
        }

        let status = withCStrings(inputOrder) { inputPointers in
            withCStrings(wanted) { outputPointers in
                inputValues.withUnsafeBufferPointer { values in
                    outputValues.withUnsafeMutableBufferPointer { results in
                        api.pointee.Run(session, nil, inputPointers, values.baseAddress, inputOrder.count,
                                        outputPointers, wanted.count, results.baseAddress)
                    }
                }
            }
        }
        try OnnxRuntime.check(status, api, .runFailed, "running \(path.lastPathComponent)")

        var result: [String: OnnxTensor] = [:]
        for (name, value) in zip(wanted, outputValues) {
            guard let value else { throw ModelError(.runFailed, "\(path.lastPathComponent) gave no \"\(name)\"") }
            result[name] = try readValue(value, name: name)
        }
        return result
    }

    private func makeValue(_ tensor: OnnxTensor, allocator: UnsafeMutablePointer<OrtAllocator>?, name: String) throws(ModelError) -> OpaquePointer? {
        let shape = tensor.shape.map(Int64.init)
        guard shape.reduce(1, *) == Int64(tensor.count) else {
            throw ModelError(.runFailed, "input \"\(name)\" has \(tensor.count) elements for shape \(tensor.shape)")
        }
        let type: ONNXTensorElementDataType
        switch tensor.elements {
        case .float: type = ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT
        case .int64: type = ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64
        }
        var value: OpaquePointer?
        try OnnxRuntime.check(api.pointee.CreateTensorAsOrtValue(allocator, shape, shape.count, type, &value), api, .runFailed, "input \"\(name)\"")
        var data: UnsafeMutableRawPointer?
        try OnnxRuntime.check(api.pointee.GetTensorMutableData(value, &data), api, .runFailed, "input \"\(name)\"")
        if let data {
            switch tensor.elements {
            case .float(let values): values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            case .int64(let values): values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
        }
        return value
    }

    private func readValue(_ value: OpaquePointer, name: String) throws(ModelError) -> OnnxTensor {
        var info: OpaquePointer?
        try OnnxRuntime.check(api.pointee.GetTensorTypeAndShape(value, &info), api, .runFailed, "output \"\(name)\"")
        defer { api.pointee.ReleaseTensorTypeAndShapeInfo(info) }
        var type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        var rank = 0
        try OnnxRuntime.check(api.pointee.GetTensorElementType(info, &type), api, .runFailed, "output \"\(name)\"")
        try OnnxRuntime.check(api.pointee.GetDimensionsCount(info, &rank), api, .runFailed, "output \"\(name)\"")
        var dims = [Int64](repeating: 0, count: rank)
        try OnnxRuntime.check(api.pointee.GetDimensions(info, &dims, rank), api, .runFailed, "output \"\(name)\"")
        let count = dims.reduce(1) { $0 * Int($1) }
        var data: UnsafeMutableRawPointer?
        try OnnxRuntime.check(api.pointee.GetTensorMutableData(value, &data), api, .runFailed, "output \"\(name)\"")
        let shape = dims.map(Int.init)
        switch type {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let data, count > 0 { buffer.baseAddress!.update(from: data.assumingMemoryBound(to: Float.self), count: count) }
                initialized = count
            }
            return .float(values, shape: shape)
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
            let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let data, count > 0 { buffer.baseAddress!.update(from: data.assumingMemoryBound(to: Int64.self), count: count) }
                initialized = count
            }
            return .int64(values, shape: shape)
        default:
            throw ModelError(.runFailed, "output \"\(name)\" has element type \(type.rawValue); only float and int64 are read")
        }
    }
}

/// Calls `body` with C strings for `strings`, valid for the call only.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
