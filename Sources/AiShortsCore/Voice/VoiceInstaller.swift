public import Foundation

/// Installs a user's voices into a models folder (`aishorts models add piper|kokoro FILE`) after
/// checking them: a Piper voice (`NAME.onnx` with `NAME.onnx.json`, any language), a Kokoro voice pack
/// (`.npz`, or one voice's raw `NAME.bin`), or the Kokoro model itself.
///
/// Word timings come from a `durations` output that published models lack; the installer adds it with
/// the checkout's `scripts/expose-durations.py` and the bootstrap's Python (`.deps/venv`), and says
/// which command to run where those are missing. Files are copied under a hidden temporary name and
/// renamed into place, so an interrupted install never looks installed.
public struct VoiceInstaller: Sendable {
    /// The models folder installed into (``ModelLocations/installRoot(environment:)``).
    public var root: URL
    /// The checkout whose `.deps/venv` and `scripts/expose-durations.py` add durations, if any.
    public var checkout: URL?

    /// Creates an installer.
    public init(root: URL, checkout: URL?) {
        self.root = root
        self.checkout = checkout
    }

    /// The checkout the running binary was built in (where `.deps` is), if any.
    public static var runningCheckout: URL? {
        Bundle.main.executableURL.flatMap(ModelLocations.checkoutModels(above:))?.deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Installs the Piper voice whose model is `model` (its configuration is `model` + `.json`).
    ///
    /// - Returns: the installed model file.
    /// - Throws: ``VoiceError``: `unknownVoice` or `engineFailed` for files that are not a Piper voice
    ///   (from ``PiperVoice``), `installFailed` when it is installed already or cannot be copied or adjusted.
    public func installPiper(_ model: URL) async throws -> URL {
        let voice = try PiperVoice(model: model)
        let folder = root.appendingPathComponent("piper", isDirectory: true)
        let destination = folder.appendingPathComponent(model.lastPathComponent)
        return try await install(into: destination, copying: [model, voice.config], family: "piper", check: { _ in })
    }

    /// Installs a Kokoro voice pack (`.npz`, or a raw `NAME.bin`) or the Kokoro model (`.onnx`).
    ///
    /// - Returns: the installed file.
    /// - Throws: ``VoiceError``: `installFailed` for a file that is neither (the message says what a
    ///   voice file is), or that is installed already or cannot be copied or adjusted.
    public func installKokoro(_ file: URL) async throws -> URL {
        let folder = root.appendingPathComponent("kokoro", isDirectory: true)
        if file.pathExtension == "onnx" {
            let name = ModelLocations.kokoroModelNames.contains(file.lastPathComponent) ? file.lastPathComponent : "kokoro-v1.0.onnx"
            return try await install(into: folder.appendingPathComponent(name), copying: [file], family: "kokoro") { session in
                guard Set(["tokens", "style", "speed"]).isSubset(of: session.inputNames) else {
                    throw VoiceError(.installFailed, "\(file.lastPathComponent) is not a Kokoro v1.0 model (inputs \(session.inputNames.joined(separator: ", ")); expected tokens, style, speed)")
                }
            }
        }
        let names = KokoroVoice.names(in: file)
        guard !names.isEmpty else {
            throw VoiceError(.installFailed, "\(file.lastPathComponent) is not a Kokoro voice file: give an .npz voice pack or one voice's raw NAME.bin (510×256 float32)")
        }
        for name in names {
            guard KokoroVoice.language(ofVoice: name) != nil else {
                throw VoiceError(.installFailed, "\(file.lastPathComponent): voice \(name) does not start with a Kokoro language letter (a, b, e, f, h, i, j, p, z)")
            }
            _ = try KokoroVoice(name: name, file: file).styles()
        }
        return try await install(into: folder.appendingPathComponent(file.lastPathComponent), copying: [file], family: nil, check: { _ in })
    }

    /// Copies `files` beside `destination` (the first file becomes `destination`), adds the durations
    /// output to the model for `family`, runs `check` on the loaded model, and renames the copies into place.
    private func install(into destination: URL, copying files: [URL], family: String?,
                         check: (OnnxSession) throws -> Void) async throws -> URL {
        let fileManager = FileManager.default
        let folder = destination.deletingLastPathComponent()
        guard !fileManager.fileExists(atPath: destination.path) else {
            throw VoiceError(.installFailed, "\(destination.lastPathComponent) is already installed in \(folder.path); remove it first")
        }
        let temporary = folder.appendingPathComponent(".install-\(UUID().uuidString)", isDirectory: true)
        defer { try? fileManager.removeItem(at: temporary) }
        let names = [destination.lastPathComponent] + files.dropFirst().map { destination.lastPathComponent + String($0.lastPathComponent.dropFirst(files[0].lastPathComponent.count)) }
        do {
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: true)
            for (file, name) in zip(files, names) { try fileManager.copyItem(at: file, to: temporary.appendingPathComponent(name)) }
        } catch {
            throw VoiceError(.installFailed, "could not copy \(files[0].lastPathComponent) into \(folder.path): \(error.localizedDescription)")
        }
        let model = temporary.appendingPathComponent(names[0])
        if let family {
            var session = try Self.session(model)
            try check(session)
            if !session.outputNames.contains("durations") {
                try await addDurations(family, model)
                session = try Self.session(model)
                guard session.outputNames.contains("durations") else {
                    throw VoiceError(.installFailed, "\(files[0].lastPathComponent) still has no durations output; is it a \(family) model?")
                }
            }
        }
        do {
            for name in names { try fileManager.moveItem(at: temporary.appendingPathComponent(name), to: folder.appendingPathComponent(name)) }
        } catch {
            throw VoiceError(.installFailed, "could not move \(names[0]) into \(folder.path): \(error.localizedDescription)")
        }
        return destination
    }

    private static func session(_ model: URL) throws(VoiceError) -> OnnxSession {
        do { return try OnnxSession(path: model, threads: 1) } catch {
            throw VoiceError(.installFailed, "\(model.lastPathComponent) does not load in ONNX Runtime: \(error.message.split(whereSeparator: \.isNewline).joined(separator: " "))")
        }
    }

    /// Adds the `durations` output with the checkout's script and Python, in place.
    private func addDurations(_ family: String, _ model: URL) async throws {
        let script = checkout?.appendingPathComponent("scripts/expose-durations.py")
        let python = checkout?.appendingPathComponent(".deps/venv/bin/python")
        guard let script, let python, FileManager.default.fileExists(atPath: script.path),
              FileManager.default.isExecutableFile(atPath: python.path) else {
            throw VoiceError(.installFailed, "the model has no durations output (word timings need it) and no checkout with .deps/venv is here to add it; run `python3 scripts/expose-durations.py \(family) MODEL.onnx MODEL.onnx` (PyPI onnx) and add it again")
        }
        let adjusted = model.deletingLastPathComponent().appendingPathComponent("adjusted.onnx")
        let result = try await ToolRunner().run(Tool(name: "python", path: python.path), arguments: [script.path, family, model.path, adjusted.path])
        guard result.isSuccess else {
            throw VoiceError(.installFailed, "could not add the durations output: \(result.lastError)", stderrTail: result.stderrTail)
        }
        do {
            _ = try FileManager.default.replaceItemAt(model, withItemAt: adjusted)
        } catch {
            throw VoiceError(.installFailed, "could not replace \(model.lastPathComponent) with its adjusted copy: \(error.localizedDescription)")
        }
    }
}
