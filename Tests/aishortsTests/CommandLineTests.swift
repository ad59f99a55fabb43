import AiShortsCore
import Foundation
import Testing

/// Runs the built `aishorts` binary as a user would.
@Suite("aishorts command line", .serialized, .enabled(if: Fixtures.binary != nil))
struct CommandLineTests {
    static var binary: String? { Fixtures.binary }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func run(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Self.binary)
        let cache = folder.appendingPathComponent("cache").path
        return try await ToolRunner(keptStderrLines: 200).run(Tool(name: "aishorts", path: binary), arguments: arguments + ["--cache-dir", cache])
    }

    func write(_ text: String, _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aSpecWithATypoFailsWithOneLine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try write("title: T\nscens:\n  - Hello.\n", "typo.yaml")
        let result = try await run(["render", spec])
        #expect(!result.isSuccess)
        #expect(result.stderrTail.count == 1)
        #expect(result.stderrTail.first == "error: \(spec):2: unknown field \"scens\"; did you mean \"scenes\"? allowed here: title, aspect, voice, voiceover, music, scenes, library, captions, transition, output")
    }

    @Test func anEmptyScriptFailsWithOneLine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("\n   \n\n", "empty.txt")
        let result = try await run(["make", "--script", script, "--output", folder.appendingPathComponent("e.mp4").path])
        #expect(result.status == "exit status 1")
        #expect(result.stderrTail == ["error: \(script): the script has no text; write one paragraph per scene, separated by blank lines"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("e.mp4").path))
    }

    @Test func aBadAspectIsRefusedBeforeAnyWork() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("Hello there.\n", "s.txt")
        let result = try await run(["make", "--script", script, "--aspect", "4:3"])
        #expect(!result.isSuccess)
        #expect(result.stderrTail.contains { $0.contains("--aspect must be 9:16, 16:9 or 1:1") })
    }

    @Test(.enabled(if: Fixtures.toolsAvailable)) func makeRendersAScriptAndPrintsTheReportAsJSON() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("A tiny test\n\nFirst scene here.\n\nSecond scene there.\n", "tiny.txt")
        let output = folder.appendingPathComponent("tiny.mp4")
        let saved = folder.appendingPathComponent("tiny.yaml")
        let result = try await run(["make", "--script", script, "--output", output.path, "--preset", "ultrafast", "--json", "--save-spec", saved.path])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let report = try JSONDecoder().decode(RunReport.self, from: result.stdout)
        #expect(report.title == "A tiny test")
        #expect(report.scenes.count == 2)
        #expect(report.scenes.allSatisfy { $0.footage == "generated" })
        #expect(report.video.width == 1080 && report.video.height == 1920)
        #expect(FileManager.default.fileExists(atPath: output.path))
        // Progress went to stderr as plain lines (no terminal here), never to stdout.
        #expect(result.stderrTail.contains { $0.hasPrefix("render: done") })
        // The saved spec renders the same job.
        let reloaded = try JobSpec.load(from: saved)
        #expect(reloaded.scenes.map(\.text) == ["First scene here.", "Second scene there."])
        #expect(reloaded.output.path == output)
    }
}

/// What the command-line tests need from the machine.
enum Fixtures {
    /// The `aishorts` binary that `swift build` / `swift test` made next to this package.
    static var binary: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".build/debug/aishorts").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Whether ffmpeg, ffprobe and espeak-ng are installed.
    static var toolsAvailable: Bool {
        (try? Tool.ffmpeg.resolved()) != nil && (try? Tool.ffprobe.resolved()) != nil && (try? Tool.espeak.resolved()) != nil
    }
}
