import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// `aishorts library FOLDER`, run as a user would: the first run hashes, the second reads nothing.
@Suite("aishorts library", .serialized, .enabled(if: Fixtures.binary != nil))
struct LibraryCommandTests {
    struct Output: Decodable {
        struct Scan: Decodable {
            var files: [String]
            var added: Int
            var changed: Int
            var unchanged: Int
            var removed: Int
        }
        var scan: Scan
        var scorer: String?
        var note: String?
    }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("clips"), withIntermediateDirectories: true)
    }

    /// Runs the binary with no installed models (so nothing is embedded) and the test's own cache.
    func library(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Fixtures.binary)
        return try await ToolRunner(keptStderrLines: 50).run(
            Tool(name: "env", path: "/usr/bin/env"),
            arguments: ["-u", "AISHORTS_MODELS", "XDG_DATA_HOME=\(folder.appendingPathComponent("data").path)", binary, "library"]
                + arguments + ["--cache-dir", folder.appendingPathComponent("cache").path])
    }

    @Test("indexes a folder once; the second run finds every file unchanged")
    func indexesOnce() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["a.png", "b.png"] {
            let result = try await ToolRunner().run(.ffmpeg, arguments: [
                "-hide_banner", "-nostdin", "-y", "-f", "lavfi", "-i", "color=red:s=64x64", "-frames:v", "1",
                folder.appendingPathComponent("clips/\(name)").path,
            ])
            try #require(result.isSuccess)
        }
        let clips = folder.appendingPathComponent("clips").path
        let first = try await library([clips, "--json"])
        #expect(first.isSuccess, "\(first.stderrTail)")
        let one = try JSONDecoder().decode(Output.self, from: first.stdout)
        #expect((one.scan.files.count, one.scan.added, one.scan.unchanged) == (2, 2, 0))
        #expect(one.scorer == nil && one.note?.contains("no CLIP model") == true)

        let second = try await library([clips])
        #expect(second.isSuccess)
        #expect(second.stdoutText.contains("library: 2 files (0 new, 0 changed, 2 unchanged, 0 removed)"), "\(second.stdoutText)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cache/index.sqlite").path))
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
