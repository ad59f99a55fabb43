public import Foundation

/// A model an engine wants from the ``ModelManager``: which one, how to load it, what it will cost.
///
/// Two requests with the same ``id`` get the same loaded instance, so the identifier must name
/// everything that makes the loaded value different (the file, the thread count).
public struct ModelRequest<Model: Sendable>: Sendable {
    /// Identifies the loaded value; by convention `kind:path` plus settings.
    public var id: String
    /// A short name for logs and the run report (usually the file name).
    public var name: String
    /// The model file, for the report.
    public var path: URL
    /// Resident bytes the model is expected to add once loaded, for the budget before its first load.
    public var estimatedBytes: Int
    /// Loads the model; called at most once per load, never on the manager's executor.
    public var load: @Sendable () throws -> Model

    /// Creates a request.
    public init(id: String, name: String, path: URL, estimatedBytes: Int, load: @escaping @Sendable () throws -> Model) {
        self.id = id
        self.name = name
        self.path = path
        self.estimatedBytes = estimatedBytes
        self.load = load
    }
}

extension ModelRequest where Model == OnnxSession {
    /// An ONNX model file, run with `threads` intra-op threads.
    ///
    /// The estimate is twice the file size (weights plus ONNX Runtime's arena and optimised copies),
    /// which is what the project's voices measured; the manager replaces it with the measured cost.
    public static func onnx(_ path: URL, threads: Int = 1) -> ModelRequest<OnnxSession> {
        let size = (try? FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int) ?? 0
        return ModelRequest(id: "onnx:\(path.standardizedFileURL.path)#\(threads)", name: path.lastPathComponent,
                            path: path, estimatedBytes: max(size * 2, 16 << 20)) {
            try OnnxSession(path: path, threads: threads)
        }
    }
}
