import Foundation

extension Pipeline {
    /// Checks what a render needs before any work: ffmpeg and ffprobe, and a writable output folder.
    func preflight(_ spec: JobSpec) async throws {
        for tool in [ffmpeg, ffprobe] {
            do { _ = try tool.resolved() } catch {
                throw RenderError(.ffmpegMissing, "\(tool.name) is not installed (\(error.reason)); run `make bootstrap` or `apt-get install ffmpeg`")
            }
        }
        let folder = spec.output.path.deletingLastPathComponent()
        let probe = folder.appendingPathComponent(".aishorts-write-test-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw RenderError(
                .outputNotWritable,
                "cannot write to the output folder \(folder.path) (\(JobSpec.reason(error))); choose another path with --output or output.path"
            )
        }
    }

    /// Composes `timeline` into `destination` through a temporary file that is renamed only when complete.
    func render(
        _ timeline: Timeline,
        to destination: URL,
        scratch: URL,
        progress: @escaping @Sendable (RenderProgress) async -> Void
    ) async throws {
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.deletingPathExtension().lastPathComponent).\(UUID().uuidString.prefix(8)).partial.mp4")
        var composer = Composer(timeline: timeline)
        composer.loudnessGain = try await composer.measureLoudnessGain(ffmpeg: ffmpeg)
        let arguments = composer.arguments(target: .mp4(partial))
        if keepWork {
            let command = try JSONEncoder().encode(["ffmpeg"] + arguments)
            try command.write(to: scratch.appendingPathComponent("ffmpeg-command.json"))
        }
        do {
            try await FFmpegRunner(tool: ffmpeg).run(arguments, duration: timeline.duration, workingDirectory: scratch, progress: progress)
            guard rename(partial.path, destination.path) == 0 else {
                throw RenderError(.outputNotWritable, "cannot move the finished video to \(destination.path); check the folder's permissions")
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}
