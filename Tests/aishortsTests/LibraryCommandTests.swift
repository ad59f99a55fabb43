import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// `aishorts library FOLDER`, run as a user would: with CLIP the first run hashes and embeds, the second
/// reads nothing; without CLIP there is nothing to index.
@Suite("aishorts library", .serialized, .enabled(if: Fixtures.binary != nil))
struct LibraryCommandTests {
    struct Output: Decodable {
        struct Scan: Decodable {
            var files: [String]
            var added: Int
            var unchanged: Int
        }
        var scan: Scan
        var scorer: String?
        var note: String?
        var embedded: Int
        var alreadyEmbedded: Int
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("clips"), withIntermediateDirectories: true)
    }

    /// Runs the binary with no installed models and the test's own cache.
    func library(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Fixtures.binary)
        return try await ToolRunner(keptStderrLines: 50).run(
            Tool(name: "env", path: "/usr/bin/env"),
            arguments: ["-u", "AISHORTS_MODELS", "XDG_DATA_HOME=\(folder.appendingPathComponent("data").path)", binary, "library"]
                + arguments + ["--cache-dir", folder.appendingPathComponent("cache").path])
    }

    /// Two small pictures in `clips/`; returns the folder.
    func pictures() async throws -> String {
        for (name, colour) in [("a.png", "red"), ("b.png", "blue")] {
            let result = try await ToolRunner().run(.ffmpeg, arguments: [
                "-hide_banner", "-nostdin", "-y", "-f", "lavfi", "-i", "color=\(colour):s=64x64", "-frames:v", "1",
                folder.appendingPathComponent("clips/\(name)").path,
            ])
            try #require(result.isSuccess)
        }
        return folder.appendingPathComponent("clips").path
    }

    @Test("with a CLIP model: the first run hashes and embeds every file, the second finds them all unchanged")
    func indexesOnce() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let python = Self.root.appendingPathComponent(".deps/venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "needs \(python.path): run `make bootstrap`")
        let model = folder.appendingPathComponent("tiny-clip")
        let made = try await ToolRunner(keptStderrLines: 40).run(
            Tool(name: "python", path: python.path), arguments: [Self.root.appendingPathComponent("scripts/make-tiny-clip.py").path, model.path])
        try #require(made.isSuccess, "make-tiny-clip.py failed: \(made.stderrTail)")
        let clips = try await pictures()

        let first = try await library([clips, "--clip", model.path, "--json"])
        #expect(first.isSuccess, "\(first.stderrTail)")
        let one = try JSONDecoder().decode(Output.self, from: first.stdout)
        #expect((one.scan.files.count, one.scan.added, one.embedded) == (2, 2, 2))
        #expect(one.scorer == "clip (tiny-clip)")

        let second = try await library([clips, "--clip", model.path])
        #expect(second.isSuccess)
        #expect(second.stdoutText.contains("library: 2 files (0 new, 0 changed, 2 unchanged, 0 removed)"), "\(second.stdoutText)")
        #expect(second.stdoutText.contains("embedded with clip (tiny-clip): 0 new, 2 already in the index"), "\(second.stdoutText)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cache/index.sqlite").path))
    }

    @Test("without a CLIP model nothing is indexed, and the line says why")
    func withoutClip() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await library([try await pictures()])
        #expect(result.isSuccess, "\(result.stderrTail)")
        #expect(result.stdoutText.hasPrefix("library: 2 files, not indexed: no CLIP model installed"), "\(result.stdoutText)")
    }

    @Test("a folder that does not exist is one error line")
    func missingFolder() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope").path
        let result = try await library([missing])
        #expect(result.status == "exit status 1")
        #expect(result.stderrTail == ["error: \(missing) does not exist; give a folder of videos or pictures"])
    }
}
