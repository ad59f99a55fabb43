public import Foundation

/// Where installed models are looked for, in order.
///
/// 1. `AISHORTS_MODELS` (folders separated by `:`), for a user's own layout;
/// 2. `$XDG_DATA_HOME/aishorts/models` (else `~/.local/share/aishorts/models`), where
///    `aishorts models add` installs;
/// 3. the `.deps/models` folder of the checkout the running binary was built in (the bootstrap puts
///    the hibari and Piper voices there), found by walking up from the executable.
/// Inside a root, each family has a folder: `hibari/` (the hibari voice's files), `piper/`
/// (`NAME.onnx` with `NAME.onnx.json`), `clip/NAME/` (a CLIP export: `vision_model.onnx`,
/// `text_model.onnx`, `tokenizer.json`; see ``ClipModel``).
public struct ModelLocations: Sendable, Hashable {
    /// The folders searched, most preferred first.
    public var roots: [URL]

    /// Searches exactly `roots`.
    public init(roots: [URL]) {
        self.roots = roots
    }

    /// The standard search path for this process.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executable: URL? = Bundle.main.executableURL) -> ModelLocations {
        var roots: [URL] = []
        if let custom = environment["AISHORTS_MODELS"] {
            roots += custom.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        }
        let dataHome = environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share", isDirectory: true)
        roots.append(dataHome.appendingPathComponent("aishorts/models", isDirectory: true))
        if let checkout = executable.flatMap(checkoutModels(above:)) {
            roots.append(checkout)
        }
        return ModelLocations(roots: roots)
    }

    /// The nearest `.deps/models` folder in `file`'s ancestors.
    static func checkoutModels(above file: URL) -> URL? {
        var folder = file.resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            let candidate = folder.appendingPathComponent(".deps/models", isDirectory: true)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The first `family/name` that exists, or `nil`.
    public func find(_ family: String, _ name: String) -> URL? {
        roots.lazy.map { $0.appendingPathComponent(family).appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The hibari voice's folder (with `hibari.onnx` and its front-end tables), if installed.
    public var hibari: URL? {
        find("hibari", "hibari.onnx")?.deletingLastPathComponent()
    }

    /// Every installed Piper voice (`NAME.onnx` with its `NAME.onnx.json`), the first found per name.
    public var piperVoices: [URL] {
        var seen = Set<String>()
        var voices: [URL] = []
        for root in roots {
            let folder = root.appendingPathComponent("piper", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".onnx") && names.contains(name + ".json") {
                if seen.insert(name).inserted { voices.append(folder.appendingPathComponent(name)) }
            }
        }
        return voices
    }

    /// The Piper voice called `name` (its file name without `.onnx`), or the `.onnx` file `name` names.
    public func piperVoice(_ name: String) -> URL? {
        if name.hasSuffix(".onnx") {
            let url = URL(fileURLWithPath: name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        return piperVoices.first { $0.deletingPathExtension().lastPathComponent == name }
    }
}
