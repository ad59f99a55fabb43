import AiShortsCore
import Foundation
import Testing

/// `aishorts models` and `aishorts models add clip PATH`, with a tiny CLIP export made by
/// `scripts/make-tiny-clip.py` and a models folder of the test's own (`XDG_DATA_HOME`).
@Suite("aishorts models", .serialized, .enabled(if: Fixtures.binary != nil))
struct ModelsCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Runs the binary with the models folder inside the test's folder and no AISHORTS_MODELS.
    func models(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Fixtures.binary)
        return try await ToolRunner(keptStderrLines: 200).run(
            Tool(name: "env", path: "/usr/bin/env"),
            arguments: ["-u", "AISHORTS_MODELS", "XDG_DATA_HOME=\(folder.appendingPathComponent("data").path)", binary, "models"] + arguments)
    }

    func tinyClip(_ name: String) async throws -> URL {
        let python = Self.root.appendingPathComponent(".deps/venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "needs \(python.path): run `make bootstrap`")
        let out = folder.appendingPathComponent(name)
        let result = try await ToolRunner(keptStderrLines: 40).run(
            Tool(name: "python", path: python.path), arguments: [Self.root.appendingPathComponent("scripts/make-tiny-clip.py").path, out.path])
        try #require(result.isSuccess, "make-tiny-clip.py failed (run `make bootstrap`?): \(result.stderrTail)")
        return out
    }

    @Test("add clip checks and installs an export, which is then listed with its size")
    func addsAndLists() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = try await tinyClip("export")
        let added = try await models(["add", "clip", export.path, "--name", "tiny-test"])
        #expect(added.isSuccess, "\(added.stderrTail)")
        #expect(added.stdoutText.contains("installed clip model tiny-test"))
        let installed = folder.appendingPathComponent("data/aishorts/models/clip/tiny-test")
        for file in ["vision_model.onnx", "text_model.onnx", "tokenizer.json", "preprocessor_config.json"] {
            #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent(file).path), "\(file) copied")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: installed.deletingLastPathComponent().path)
        #expect(leftovers == ["tiny-test"], "no temporary folder left: \(leftovers)")

        let list = try await models([])
        #expect(list.isSuccess)
        let line = list.stdoutText.split(separator: "\n").first { $0.hasPrefix("clip") }
        #expect(line?.contains("tiny-test") == true && line?.contains("MB") == true, "\(list.stdoutText)")

        let again = try await models(["add", "clip", export.path, "--name", "tiny-test"])
        #expect(!again.isSuccess)
        #expect(again.stderrTail.count == 1 && again.stderrTail[0].contains("already installed"), "\(again.stderrTail)")
    }

    @Test("a folder that is not a CLIP export, or another kind of model, is refused with one line")
    func refusesBadFolders() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = try await tinyClip("broken")
        try FileManager.default.removeItem(at: export.appendingPathComponent("onnx/text_model.onnx"))
        let missing = try await models(["add", "clip", export.path])
        #expect(!missing.isSuccess)
        #expect(missing.stderrTail.count == 1 && missing.stderrTail[0].contains("no text_model.onnx"), "\(missing.stderrTail)")

        let voice = try await models(["add", "piper", export.path])
        #expect(!voice.isSuccess && voice.stderrTail.count == 1 && voice.stderrTail[0].contains("has no configuration"), "\(voice.stderrTail)")
        let other = try await models(["add", "whisper", export.path])
        #expect(!other.isSuccess && other.stderrTail.count == 1 && other.stderrTail[0].contains("add clip, piper or kokoro"), "\(other.stderrTail)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/aishorts/models/clip/broken").path))
    }

    @Test("the help says how to get and install a CLIP export")
    func helpDocumentsInstalling() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let help = try await models(["--help"])
        for needle in ["vision_model.onnx", "text_model.onnx", "tokenizer.json", "clip-vit-base-patch32", "models add clip"] {
            #expect(help.stdoutText.contains(needle), "help mentions \(needle)")
        }
    }

    @Test("add piper and add kokoro check a user's voice files, install them, and the voices list them by language")
    func addsVoices() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let deps = Self.root.appendingPathComponent(".deps/models")
        let joe = deps.appendingPathComponent("piper/en_US-joe-medium.onnx")
        let pack = deps.appendingPathComponent("kokoro/voices_ja.npz")
        try #require(FileManager.default.fileExists(atPath: joe.path) && FileManager.default.fileExists(atPath: pack.path), "run `make bootstrap`")
        // A "Portuguese" Piper voice (joe's files under a pt_BR name) and a Kokoro voice (jf_alpha's styles as pf_test.bin).
        let piper = folder.appendingPathComponent("pt_BR-test-medium.onnx")
        try FileManager.default.copyItem(at: joe, to: piper)
        try FileManager.default.copyItem(at: joe.appendingPathExtension("json"), to: piper.appendingPathExtension("json"))
        let kokoro = folder.appendingPathComponent("pf_test.bin")
        let python = Self.root.appendingPathComponent(".deps/venv/bin/python")
        let saved = try await ToolRunner().run(Tool(name: "python", path: python.path), arguments: [
            "-c", "import sys, numpy as np; np.load(sys.argv[1])['jf_alpha'].astype('<f4').tofile(sys.argv[2])", pack.path, kokoro.path])
        try #require(saved.isSuccess, "numpy failed: \(saved.stderrTail)")

        let addedPiper = try await models(["add", "piper", piper.path])
        #expect(addedPiper.isSuccess, "\(addedPiper.stderrTail)")
        let addedKokoro = try await models(["add", "kokoro", kokoro.path])
        #expect(addedKokoro.isSuccess, "\(addedKokoro.stderrTail)")
        let installed = folder.appendingPathComponent("data/aishorts/models")
        for file in ["piper/pt_BR-test-medium.onnx", "piper/pt_BR-test-medium.onnx.json", "kokoro/pf_test.bin"] {
            #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent(file).path), "\(file) installed")
        }
        let binary = try #require(Fixtures.binary)
        let listed = try await ToolRunner().run(Tool(name: "env", path: "/usr/bin/env"), arguments: [
            "-u", "AISHORTS_MODELS", "XDG_DATA_HOME=\(folder.appendingPathComponent("data").path)", binary, "voices", "--language", "pt"])
        #expect(listed.stdoutText.contains("piper:pt_BR-test-medium") && listed.stdoutText.contains("kokoro:pf_test"), "\(listed.stdoutText)")

        let again = try await models(["add", "kokoro", kokoro.path])
        #expect(!again.isSuccess && again.stderrTail.count == 1 && again.stderrTail[0].contains("already installed"), "\(again.stderrTail)")
        let junk = folder.appendingPathComponent("junk.bin")
        try Data(count: 1000).write(to: junk)
        let refused = try await models(["add", "kokoro", junk.path])
        #expect(!refused.isSuccess && refused.stderrTail.count == 1 && refused.stderrTail[0].contains("not a Kokoro voice file"), "\(refused.stderrTail)")
    }
}
