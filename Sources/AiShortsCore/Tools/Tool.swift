public import Foundation

/// An external program, found on `PATH` or at an explicit location.
///
/// The location can be overridden per program with an environment variable (`AISHORTS_FFMPEG`,
/// `AISHORTS_FFPROBE`, `AISHORTS_ESPEAK_NG`), which is also how tests simulate a missing program.
public struct Tool: Sendable, Hashable {
    /// The program's short name, such as `ffmpeg`.
    public var name: String
    /// An explicit path; `nil` searches `PATH`.
    public var path: String?

    /// Creates a tool by name, with an optional explicit path.
    public init(name: String, path: String? = nil) {
        self.name = name
        self.path = path
    }

    /// ffmpeg, overridable with `AISHORTS_FFMPEG`.
    public static var ffmpeg: Tool { .fromEnvironment("ffmpeg") }
    /// ffprobe, overridable with `AISHORTS_FFPROBE`.
    public static var ffprobe: Tool { .fromEnvironment("ffprobe") }
    /// espeak-ng, overridable with `AISHORTS_ESPEAK_NG`.
    public static var espeak: Tool { .fromEnvironment("espeak-ng") }

    static func fromEnvironment(_ name: String) -> Tool {
        let key = "AISHORTS_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        return Tool(name: name, path: ProcessInfo.processInfo.environment[key])
    }

    /// The Debian package that provides a program, for install hints.
    static func package(of name: String) -> String {
        switch name {
        case "ffprobe": "ffmpeg"
        default: name
        }
    }

    /// The absolute path of the executable.
    ///
    /// - Throws: ``ToolError`` when it is not installed.
    public func resolved() throws(ToolError) -> String {
        let fileManager = FileManager.default
        if let path {
            guard fileManager.isExecutableFile(atPath: path) else {
                throw ToolError(tool: name, reason: "not found at \(path)")
            }
            return path
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError(tool: name, reason: "not installed")
    }
}
