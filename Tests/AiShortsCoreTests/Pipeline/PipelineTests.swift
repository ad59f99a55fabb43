import AiShortsCore
import Foundation
import Testing

@Suite("Pipeline end to end", .serialized, .enabled(if: Fixtures.toolsAvailable))
struct PipelineTests {
    @Test func rendersAShortFromFilesLibraryAndFallbacks() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        _ = try await fixtures.clip("short.mp4", seconds: 0.6)  // much shorter than its scene: looped
        _ = try await fixtures.still("photo.png")
        let library = fixtures.url("library")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        let rocket = try await fixtures.clip("library/launch.mp4", seconds: 3)
        try Data("rocket, flame".utf8).write(to: rocket.appendingPathExtension("tags"))
        _ = try await fixtures.music()
        let spec = try fixtures.spec("""
            title: Test short
            music: { file: music.m4a, volume: 0.3 }
            library: library
            scenes:
              - text: A looping test pattern.
                media: short.mp4
              - text: A still picture, slowly moving.
                media: [photo.png]
              - text: Rockets climb on a column of fire.
                queries: [rocket]
              - text: Nothing here matches anything.
            output: { path: out/test.mp4, preset: ultrafast }
            """)
        let events = EventLog()
        let report = try await fixtures.pipeline().run(Job(spec: spec)) { await events.append($0) }

        let output = fixtures.url("out/test.mp4")
        #expect(FileManager.default.fileExists(atPath: output.path))
        #expect(fixtures.partialFiles(in: fixtures.url("out")).isEmpty)
        #expect(report.video.width == 1080 && report.video.height == 1920)
        #expect(report.video.videoCodec == "h264" && report.video.audioCodec == "aac")
        let spoken = report.scenes.reduce(0) { $0 + $1.duration }
        #expect(abs(report.video.duration - spoken) < 0.1, "video \(report.video.duration) s, narration \(spoken) s")
        let loudness = try #require(report.video.integratedLoudness)
        #expect(abs(loudness - Composer.targetLoudness) < 1.5, "integrated loudness \(loudness)")
        #expect(report.scenes.map(\.footage) == ["spec", "spec", "library", "generated"])
        #expect(report.scenes[2].visuals == ["video launch.mp4"])
        // A text scorer (semantic when `make bootstrap` installed its model, else metadata) matched the
        // library by names and tags: nothing was hashed or indexed.
        #expect(["metadata", "semantic (all-MiniLM-L6-v2)"].contains(report.footage?.scorer) && report.footage?.library == nil)
        #expect(report.caches["narration"] == CacheCount(hits: 0, misses: 4))
        for stage in ["preflight", "narration", "footage", "captions", "render", "probe"] {
            #expect(report.stages[stage] != nil, "no metrics for \(stage)")
        }
        #expect(report.total.peakTreeRSSBytes > 0 && report.total.cpuSeconds > 0)
        let saved = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: RunReport.location(for: output)))
        #expect(saved == report)
        #expect(await events.renderProgress.last == 1)
        #expect(await events.notes.contains { $0.contains("scene 4") && $0.contains("generated background") })

        // Never black, never frozen (the detectors do fire on such input: see `detectorsSeeBlackAndFrozenVideo`).
        let black = try await fixtures.ffmpeg(["-i", output.path, "-vf", "blackdetect=d=0.3:pix_th=0.05", "-an", "-f", "null", "-", "-loglevel", "info"])
        #expect(!black.stderrTail.contains { $0.contains("black_start") })
        let frozen = try await fixtures.ffmpeg(["-i", output.path, "-vf", "freezedetect=n=0.001:d=1", "-an", "-f", "null", "-", "-loglevel", "info"])
        #expect(!frozen.stderrTail.contains { $0.contains("freeze_start") })

        // A second run of the same job reuses the narration and probes.
        let again = try await fixtures.pipeline().run(Job(spec: spec))
        #expect(again.caches["narration"] == CacheCount(hits: 4, misses: 0))
        #expect(again.caches["probe"]?.misses == 0)
    }

    @Test func rendersARecordedVoiceoverSplitAcrossScenes() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let narration = try await EspeakNarrator().narrate("One two three. Four five six.", to: fixtures.url("voice.wav"))
        let words = narration.words.map { "{\"word\": \"\($0.text)\", \"start\": \($0.start), \"end\": \($0.end)}" }
        try Data("[\(words.joined(separator: ","))]".utf8).write(to: fixtures.url("words.json"))
        _ = try await fixtures.still("a.png")
        let spec = try fixtures.spec("""
            title: Voiceover
            voiceover: { audio: voice.wav, words: words.json }
            transition: cut
            scenes:
              - text: One two three.
                media: a.png
              - text: Four five six.
            output: { path: vo.mp4, preset: ultrafast }
            """)
        let report = try await fixtures.pipeline().run(Job(spec: spec))
        #expect(report.voice == "voiceover voice.wav")
        #expect(report.scenes.map(\.words) == [3, 3])
        #expect(abs(report.scenes[1].start - narration.words[3].start) < 0.001)
        #expect(abs(report.video.duration - max(narration.duration, narration.words[5].end + 0.3)) < 0.1)
    }
}

extension PipelineTests {
    @Test func clipsSharingOneDecoderShowTheRightPictureInEachScene() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // Same codec, size and pixel format: read through one concat-demuxer input. Red is longer than
        // its scene (cut), green much shorter (looped), blue a little shorter (slowed).
        for (name, seconds) in [("red", 6.0), ("green", 0.5), ("blue", 1.6)] {
            try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=\(name):s=640x360:r=30", "-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", fixtures.url("\(name).mp4").path])
        }
        let spec = try fixtures.spec("""
            title: Colours
            captions: false
            transition: cut
            scenes:
              - text: This scene is red all the way through.
                media: red.mp4
              - text: This scene is green all the way through.
                media: green.mp4
              - text: And this last scene is blue.
                media: blue.mp4
            output: { path: colours.mp4, preset: ultrafast }
            """)
        var pipeline = fixtures.pipeline()
        pipeline.keepWork = true
        let report = try await pipeline.run(Job(spec: spec))
        let work = try FileManager.default.contentsOfDirectory(at: fixtures.url("cache/work"), includingPropertiesForKeys: nil)
        let list = try String(contentsOf: try #require(work.first).appendingPathComponent("clips-0.ffconcat"), encoding: .utf8)
        #expect(list.components(separatedBy: "green.mp4").count - 1 >= 3, "green should be listed again to fill its scene")
        let expected: [(Int, Int, Int)] = [(255, 0, 0), (0, 128, 0), (0, 0, 255)]
        for (scene, colour) in zip(report.scenes, expected) {
            for at in [scene.start + 0.2, scene.start + scene.duration / 2, scene.start + scene.duration - 0.2] {
                let pixel = try await fixtures.ffmpeg(["-ss", String(format: "%.3f", at), "-i", fixtures.url("colours.mp4").path, "-frames:v", "1", "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
                let rgb = pixel.map { Int($0) }
                try #require(rgb.count == 3)
                let off = abs(rgb[0] - colour.0) + abs(rgb[1] - colour.1) + abs(rgb[2] - colour.2)
                #expect(off < 60, "scene \(scene.scene) at \(at) s is \(rgb), expected \(colour)")
            }
        }
        #expect(abs(report.video.duration - report.scenes.reduce(0) { $0 + $1.duration }) < 0.1)
    }

    @Test func detectorsSeeBlackAndFrozenVideo() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let frozen = fixtures.url("frozen.mp4")
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=black:s=320x240:d=2", "-c:v", "libx264", "-preset", "ultrafast", frozen.path])
        let black = try await fixtures.ffmpeg(["-i", frozen.path, "-vf", "blackdetect=d=0.3:pix_th=0.05", "-an", "-f", "null", "-", "-loglevel", "info"])
        #expect(black.stderrTail.contains { $0.contains("black_start") })
        let still = try await fixtures.ffmpeg(["-i", frozen.path, "-vf", "freezedetect=n=0.001:d=1", "-an", "-f", "null", "-", "-loglevel", "info"])
        #expect(still.stderrTail.contains { $0.contains("freeze_start") })
    }
}

/// Collects pipeline events for assertions.
actor EventLog {
    private(set) var events: [PipelineEvent] = []

    func append(_ event: PipelineEvent) { events.append(event) }

    var renderProgress: [Double] {
        events.compactMap { if case .progress(.render, let fraction, _) = $0 { fraction } else { nil } }
    }

    var notes: [String] {
        events.compactMap { if case .note(let text) = $0 { text } else { nil } }
    }
}
