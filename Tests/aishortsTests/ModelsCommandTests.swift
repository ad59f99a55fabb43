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
        #expect(!voice.isSuccess && voice.stderrTail.count == 1 && voice.stderrTail[0].contains("only clip"), "\(voice.stderrTail)")
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
}
