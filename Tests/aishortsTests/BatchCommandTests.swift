import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// `aishorts batch` with the built binary: scripts, a spec with a still, espeak; a failing entry; a
/// rerun that skips what was made and redoes what changed.
@Suite("aishorts batch", .serialized, .enabled(if: Fixtures.binary != nil && Fixtures.toolsAvailable))
struct BatchCommandTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-batch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scripts"), withIntermediateDirectories: true)
    }

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func batch(_ manifest: String = "shorts.yaml") async throws -> ToolResult {
        let binary = try #require(Fixtures.binary)
        return try await ToolRunner(keptStderrLines: 50).run(Tool(name: "aishorts", path: binary), arguments: [
            "batch", folder.appendingPathComponent(manifest).path, "--jobs", "2",
            "--data", folder.appendingPathComponent("data").path, "--cache-dir", folder.appendingPathComponent("cache").path,
            "--config", folder.appendingPathComponent("no-llm.yaml").path,
        ])
    }

    @Test func aBatchMakesItsShortsAndARerunSkipsThemAndRedoesWhatChanged() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("Bees dance to tell the hive where flowers grow.\n\nThe others watch and fly there.", "scripts/bees.txt")
        try write("Ants farm a fungus on the leaves they carry home.", "scripts/ants.txt")
        try write("Owls turn their heads almost all the way round.", "scripts/owls.txt")
        let still = folder.appendingPathComponent("moon.png")
        let made = try await ToolRunner().run(.ffmpeg, arguments: ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", still.path])
        #expect(made.isSuccess)
        try write("title: Moon\nscenes:\n  - text: The Moon drifts away a little every year.\n    media: \(still.path)\n", "moon.yaml")
        try write("""
        defaults: { voice: "espeak:en-us", preset: ultrafast }
        shorts:
          - { script: scripts/bees.txt, title: Bees, output: bees.mp4 }
          - { script: scripts/ants.txt, output: videos/ants.mp4 }
          - { spec: moon.yaml, output: moon.mp4 }
          - { script: scripts/owls.txt, voice: "piper:no-such-voice", output: owls.mp4 }
        """, "shorts.yaml")

        let first = try await batch()
        #expect(!first.isSuccess, "one short failed, so the batch exits 1")
        let output = first.stdoutText
        #expect(output.contains("batch: 3 made, 0 skipped, 1 failed of 4"), "\(output)\n\(first.stderrTail)")
        #expect(output.contains("short 4 (line 6, owls.mp4):"), "the failed entry is named with its line: \(output)")
        for name in ["bees.mp4", "videos/ants.mp4", "moon.mp4"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name) is in place")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("owls.mp4").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".part") }
        #expect(leftovers.isEmpty, "no partial file is left")

        try write("Bees dance to tell the hive where the best flowers grow.", "scripts/bees.txt")
        let second = try await batch()
        #expect(second.stdoutText.contains("batch: 1 made, 2 skipped, 1 failed of 4"), "the edited script is made again, the failed entry redone: \(second.stdoutText)")
    }

    @Test func aManifestWithAnErrorRunsNothing() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("A line.", "scripts/a.txt")
        try write("shorts:\n  - { script: scripts/a.txt, output: a.mp4 }\n  - { script: scripts/a.txt, preset: warp-speed, output: b.mp4 }\n", "shorts.yaml")
        let result = try await batch()
        #expect(!result.isSuccess)
        #expect(result.stderrTail.count == 1)
        #expect(result.stderrTail.first?.hasPrefix("error: shorts.yaml: short 2 (line 3): preset: \"warp-speed\" is not an x264 preset") == true, "\(result.stderrTail)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.mp4").path), "nothing ran")
    }
}
