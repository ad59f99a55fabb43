import AiShortsCore
import Foundation
import Testing

/// Every bad input ends with one line that names the problem and what to do, and leaves nothing at the
/// output path (an older file there survives).
@Suite("Bad input", .serialized, .enabled(if: Fixtures.toolsAvailable))
struct BadInputTests {
    /// Runs `spec` expecting an error of type `E`; checks the one-line rule and the output path.
    func expectFailure<E: Error & CustomStringConvertible>(
        _ spec: JobSpec,
        _ type: E.Type,
        fixtures: Fixtures,
        pipeline: Pipeline? = nil,
        mentioning words: [String]
    ) async throws -> E? {
        do {
            _ = try await (pipeline ?? fixtures.pipeline()).run(Job(spec: spec))
            Issue.record("the job should have failed")
            return nil
        } catch let error as E {
            let line = error.description
            #expect(!line.contains("\n"), "not one line: \(line)")
            for word in words { #expect(line.contains(word), "\"\(line)\" does not mention \(word)") }
            #expect(!FileManager.default.fileExists(atPath: spec.output.path.path) || (try? String(contentsOf: spec.output.path, encoding: .utf8)) == "older video")
            #expect(fixtures.partialFiles(in: spec.output.path.deletingLastPathComponent()).isEmpty)
            return error
        }
    }

    @Test func aCorruptVideoIsNamed() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        _ = try fixtures.garbage("broken.mp4")
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: Hello there.\n    media: broken.mp4\noutput: {path: out.mp4}\n")
        let error = try await expectFailure(spec, FootageError.self, fixtures: fixtures, mentioning: ["broken.mp4", "scene 1", "replace"])
        #expect(error?.code == .unreadableMedia)
    }

    @Test func aTruncatedVideoIsNamed() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let clip = try await fixtures.clip("cut.mp4", seconds: 1)
        let data = try Data(contentsOf: clip)
        try data.prefix(data.count / 3).write(to: clip)
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: Hello there.\n    media: cut.mp4\noutput: {path: out.mp4}\n")
        let error = try await expectFailure(spec, FootageError.self, fixtures: fixtures, mentioning: ["cut.mp4"])
        #expect(error?.code == .unreadableMedia)
    }

    @Test func anImageFfmpegCannotReadIsNamed() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try Data("this is not a picture".utf8).write(to: fixtures.url("photo.png"))
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: Hello there.\n    media: photo.png\noutput: {path: out.mp4}\n")
        let error = try await expectFailure(spec, FootageError.self, fixtures: fixtures, mentioning: ["photo.png"])
        #expect(error?.code == .unreadableMedia)
    }

    @Test func audioGivenAsPictureIsRefused() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        _ = try await fixtures.music("song.m4a")
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: Hello there.\n    media: song.m4a\noutput: {path: out.mp4}\n")
        let error = try await expectFailure(spec, FootageError.self, fixtures: fixtures, mentioning: ["song.m4a", "no picture"])
        #expect(error?.code == .noPicture)
    }

    @Test func aMissingFfmpegIsReportedBeforeAnyWork() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let spec = try fixtures.spec("title: T\nscenes: [Hello there.]\noutput: {path: out.mp4}\n")
        let pipeline = fixtures.pipeline(ffmpeg: Tool(name: "ffmpeg", path: "/nonexistent/ffmpeg"))
        let error = try await expectFailure(spec, RenderError.self, fixtures: fixtures, pipeline: pipeline, mentioning: ["ffmpeg", "install"])
        #expect(error?.code == .ffmpegMissing)
        #expect(!FileManager.default.fileExists(atPath: fixtures.url("cache/narration").path), "narration ran before the check")
    }

    @Test func aMissingEspeakIsReported() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let spec = try fixtures.spec("title: T\nvoice: espeak:en-us\nscenes: [Hello there.]\noutput: {path: out.mp4}\n")
        let pipeline = fixtures.pipeline(espeak: Tool(name: "espeak-ng", path: "/nonexistent/espeak-ng"))
        let error = try await expectFailure(spec, VoiceError.self, fixtures: fixtures, pipeline: pipeline, mentioning: ["espeak-ng", "install"])
        #expect(error?.code == .engineMissing)
    }

    @Test func anUnwritableOutputFolderIsReported() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try Data("a file, not a folder".utf8).write(to: fixtures.url("blocked"))
        let spec = try fixtures.spec("title: T\nscenes: [Hello there.]\noutput: {path: blocked/out.mp4}\n")
        let error = try await expectFailure(spec, RenderError.self, fixtures: fixtures, mentioning: ["blocked", "--output"])
        #expect(error?.code == .outputNotWritable)
    }

    @Test func aFailedRenderKeepsTheOlderVideo() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try Data("older video".utf8).write(to: fixtures.url("out.mp4"))
        _ = try fixtures.garbage("broken.mp4")
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: Hello there.\n    media: broken.mp4\noutput: {path: out.mp4}\n")
        _ = try await expectFailure(spec, FootageError.self, fixtures: fixtures, mentioning: ["broken.mp4"])
        #expect(try String(contentsOf: fixtures.url("out.mp4"), encoding: .utf8) == "older video")
    }

    @Test func anUnknownEspeakVoiceIsReported() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let spec = try fixtures.spec("title: T\nvoice: espeak:xx-nowhere\nscenes: [Hello there.]\noutput: {path: out.mp4}\n")
        let error = try await expectFailure(spec, VoiceError.self, fixtures: fixtures, mentioning: ["xx-nowhere", "espeak-ng --voices"])
        #expect(error?.code == .unknownVoice)
    }

    @Test func cancellingStopsFfmpegAndLeavesNothing() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        _ = try await fixtures.clip("long.mp4", seconds: 2)
        let text = Array(repeating: "This sentence keeps the render busy for a while.", count: 6).joined(separator: " ")
        let spec = try fixtures.spec("title: T\nscenes:\n  - text: \(text)\n    media: long.mp4\noutput: {path: out/c.mp4, preset: veryslow}\n")
        let started = AsyncStream<Void>.makeStream()
        let pipeline = fixtures.pipeline()
        let task = Task {
            try await pipeline.run(Job(spec: spec)) { event in
                if case .progress(.render, let fraction, _) = event, fraction > 0 { started.continuation.yield() }
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        // The outcome: a veryslow render left alone would finish and write the file.
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(!FileManager.default.fileExists(atPath: fixtures.url("out/c.mp4").path))
        #expect(fixtures.partialFiles(in: fixtures.url("out")).isEmpty)
        #expect(Self.ffmpegProcesses(writing: "out/.c.").isEmpty, "ffmpeg is still running")
    }

    /// ffmpeg processes (children of anyone) whose command line mentions `fragment`.
    static func ffmpegProcesses(writing fragment: String) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return command.contains("ffmpeg") && command.contains(fragment) ? pid : nil
        }
    }
}
