public import Foundation
import COnnxRuntime

/// One loaded ONNX model, ready to run on the CPU.
///
/// Loading allocates the model's weights and ONNX Runtime's arena; both are freed when the last
/// reference goes away, which is why engines get sessions from ``ModelManager`` rather than
/// creating their own. `run` may be called from several tasks at once.
public final class OnnxSession: @unchecked Sendable {
    // @unchecked Sendable is sound here: every stored property is immutable after init; ONNX Runtime
    // documents OrtSession's Run as safe to call concurrently; the pointers are released only in
    // deinit, when no other reference (and so no running call) can exist.
    let api: UnsafePointer<OrtApi>
    let env: OpaquePointer
    let session: OpaquePointer

    /// The model file.
    public let path: URL
    /// The model's input names, in the model's order.
    public let inputNames: [String]
    /// The model's output names, in the model's order.
    public let outputNames: [String]
    /// Intra-op threads the session uses.
    public let threads: Int

    /// Loads the model at `path`.
    ///
    /// - Parameter threads: intra-op threads (1 keeps a narration on one core; other jobs get the rest).
    /// - Throws: ``ModelError``: `fileMissing`, `badModel` (ONNX Runtime's message says why), `runtimeMissing`.
    public init(path: URL, threads: Int = 1) throws(ModelError) {
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw ModelError(.fileMissing, "no model file at \(path.path); run `make bootstrap` or `aishorts voices` to see what is installed")
        }
        let api = try OnnxRuntime.api()
        self.api = api
        self.path = path
        self.threads = max(1, threads)

        var env: OpaquePointer?
        try OnnxRuntime.check(api.pointee.CreateEnv(ORT_LOGGING_LEVEL_ERROR, "aishorts", &env), api, .runtimeMissing, "starting ONNX Runtime")
        guard let env else { throw ModelError(.runtimeMissing, "ONNX Runtime gave no environment") }

        var options: OpaquePointer?
        do {
            try OnnxRuntime.check(api.pointee.CreateSessionOptions(&options), api, .badModel, "creating session options")
        } catch {
            api.pointee.ReleaseEnv(env)
            throw error
        }
        defer { api.pointee.ReleaseSessionOptions(options) }

        var session: OpaquePointer?
        do {
            try OnnxRuntime.check(api.pointee.SetIntraOpNumThreads(options, Int32(self.threads)), api, .badModel, "setting threads")
            try OnnxRuntime.check(api.pointee.SetInterOpNumThreads(options, 1), api, .badModel, "setting threads")
            // Spinning worker threads burn a core between runs; narration runs are short and sparse.
            try OnnxRuntime.check(api.pointee.AddSessionConfigEntry(options, "session.intra_op.allow_spinning", "0"), api, .badModel, "configuring threads")
            try OnnxRuntime.check(api.pointee.SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), api, .badModel, "configuring optimisation")
            try OnnxRuntime.check(api.pointee.CreateSession(env, path.path, options, &session), api, .badModel, "cannot load model \(path.lastPathComponent)")
        } catch {
            api.pointee.ReleaseEnv(env)
            throw error
        }
        guard let session else {
            api.pointee.ReleaseEnv(env)
            throw ModelError(.badModel, "cannot load model \(path.lastPathComponent): no session")
        }
        self.env = env
        self.session = session
        do {
            inputNames = try Self.names(api, session, input: true)
            outputNames = try Self.names(api, session, input: false)
        } catch {
            api.pointee.ReleaseSession(session)
            api.pointee.ReleaseEnv(env)
            throw error
        }
    }

    deinit {
        api.pointee.ReleaseSession(session)
        api.pointee.ReleaseEnv(env)
    }

    private static func names(_ api: UnsafePointer<OrtApi>, _ session: OpaquePointer, input: Bool) throws(ModelError) -> [String] {
        var allocator: UnsafeMutablePointer<OrtAllocator>?
        try OnnxRuntime.check(api.pointee.GetAllocatorWithDefaultOptions(&allocator), api, .badModel, "reading model names")
        var count = 0
        try OnnxRuntime.check(input ? api.pointee.SessionGetInputCount(session, &count) : api.pointee.SessionGetOutputCount(session, &count), api, .badModel, "reading model names")
        var names: [String] = []
        for index in 0..<count {
            var name: UnsafeMutablePointer<CChar>?
            try OnnxRuntime.check(
                input ? api.pointee.SessionGetInputName(session, index, allocator, &name) : api.pointee.SessionGetOutputName(session, index, allocator, &name),
                api, .badModel, "reading model names")
            if let name {
                names.append(String(cString: name))
                _ = api.pointee.AllocatorFree(allocator, name)
            }
        }
        return names
    }
}
