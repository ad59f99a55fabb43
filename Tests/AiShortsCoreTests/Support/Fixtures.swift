import AiShortsCore
import Foundation
import Testing

/// A temporary folder with media made by ffmpeg's lavfi sources, removed when the test ends.
struct Fixtures {
    let root: URL

    /// The package's root folder (where `.deps/` is), found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static var toolsAvailable: Bool {
        (try? Tool.ffmpeg.resolved()) != nil && (try? Tool.ffprobe.resolved()) != nil && (try? Tool.espeak.resolved()) != nil
    }

    @discardableResult
    func ffmpeg(_ arguments: [String]) async throws -> ToolResult {
        let result = try await ToolRunner(keptStderrLines: 10_000).run(.ffmpeg, arguments: ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + arguments)
        try #require(result.isSuccess, "ffmpeg failed: \(result.stderrTail)")
        return result
    }

    /// A 1920x1080 H.264 clip of `seconds` with moving content.
    func clip(_ name: String, seconds: Double, size: String = "1920x1080") async throws -> URL {
        let url = url(name)
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=\(size):r=30", "-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", url.path])
        return url
    }

    /// A still picture.
    func still(_ name: String, size: String = "800x600") async throws -> URL {
        let url = url(name)
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc=s=\(size)", "-frames:v", "1", url.path])
        return url
    }

    /// A music bed: two sine tones, stereo AAC.
    func music(_ name: String = "music.m4a", seconds: Double = 3) async throws -> URL {
        let url = url(name)
        try await ffmpeg(["-f", "lavfi", "-i", "aevalsrc=0.3*sin(2*PI*220*t)+0.2*sin(2*PI*330*t):s=48000:d=\(seconds)", "-ac", "2", "-c:a", "aac", url.path])
        return url
    }

    /// Bytes that are not media, under a media name.
    func garbage(_ name: String) throws -> URL {
        let url = url(name)
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: url)
        return url
    }

    /// Writes a spec file and loads it.
    func spec(_ yaml: String, name: String = "spec.yaml") throws -> JobSpec {
        let url = url(name)
        try Data(yaml.utf8).write(to: url)
        return try JobSpec.load(from: url)
    }

    /// A pipeline whose cache lives inside the fixture folder.
    /// No footage API keys, whatever the environment holds: tests never reach the real sites.
    func pipeline(ffmpeg: Tool = .ffmpeg, espeak: Tool = .espeak) -> Pipeline {
        var pipeline = Pipeline(cache: DiskCache(root: url("cache")), voices: VoiceCatalog(espeak: espeak), ffmpeg: ffmpeg)
        pipeline.footage = FootageConfiguration()
        return pipeline
    }

    /// Files in `folder` whose names contain `partial`: left-overs of an interrupted render.
    func partialFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains("partial") }
    }
}
