import COnnxRuntime

/// Access to ONNX Runtime's C API: the function table, status handling and the library's version.
///
/// The project compiles against the C header of API version 21 and runs with the 1.31 library the
/// bootstrap installs; the C API is stable, so asking the newer library for version 21 works. The
/// table is a static structure inside the library, so fetching it again is free and no global
/// state is kept here.
public enum OnnxRuntime {
    /// The API version the header describes and the library is asked for.
    static let apiVersion = UInt32(ORT_API_VERSION)

    /// The function table.
    ///
    /// - Throws: ``ModelError`` (`runtimeMissing`) when the loaded library cannot serve the version.
    static func api() throws(ModelError) -> UnsafePointer<OrtApi> {
        guard let base = OrtGetApiBase(), let table = base.pointee.GetApi(apiVersion) else {
            throw ModelError(.runtimeMissing, "ONNX Runtime's library does not offer C API version \(apiVersion); run `make bootstrap` to install 1.31")
        }
        return table
    }

    /// The loaded library's version string, e.g. "1.31.1".
    public static var version: String {
        guard let base = OrtGetApiBase(), let text = base.pointee.GetVersionString() else { return "unknown" }
        return String(cString: text)
    }

    /// Turns a returned status into a Swift error, releasing the status.
    ///
    /// - Parameters:
    ///   - status: what the call returned; `nil` means success.
    ///   - code: the error code to use on failure.
    ///   - context: what was being done, for the message ("loading model.onnx").
    static func check(_ status: OpaquePointer?, _ api: UnsafePointer<OrtApi>, _ code: ModelError.Code, _ context: @autoclosure () -> String) throws(ModelError) {
        guard let status else { return }
        defer { api.pointee.ReleaseStatus(status) }
        let detail = api.pointee.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
        // ONNX Runtime's messages can span lines (a stack of nested causes); the first line says it.
        let firstLine = detail.split(whereSeparator: \.isNewline).first.map(String.init) ?? detail
        throw ModelError(code, "\(context()): \(firstLine)", runtimeMessage: detail)
    }
}
