import Foundation

extension Pipeline {
    /// Checks what a render needs before any work: ffmpeg and ffprobe, readable music, and a writable
    /// output folder.
    ///
    /// - Returns: the output folder when preflight created it, so a failed job can remove it again.
    func preflight(_ spec: JobSpec, probe: MediaProbe) async throws -> URL? {
        // A voice of another language than the spec's is refused before any work starts.
        if spec.voiceover == nil { _ = try spec.narrationVoice(in: voices) }
        for tool in [ffmpeg, ffprobe] {
            do { _ = try tool.resolved() } catch {
                throw RenderError.missing(error)
            }
        }
        if let music = spec.music {
            switch try await probe.probe(music.file) {
            case .readable(let info) where info.audioCodec != nil:
                break
            case .readable:
                throw RenderError(.unreadableAudio, "the music file \(music.file.path) has no sound; give an MP3, M4A or WAV file, or remove music")
            case .unreadable(let reason):
                throw RenderError(.unreadableAudio, "cannot read the music file \(music.file.path) (\(reason)); give an MP3, M4A or WAV file, or remove music")
            }
        }
        let folder = spec.output.path.deletingLastPathComponent()
        let probe = folder.appendingPathComponent(".aishorts-write-test-\(UUID().uuidString)")
        let existed = FileManager.default.fileExists(atPath: folder.path)
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
        return existed ? nil : folder
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
        var composer = Composer(timeline: timeline, scalesWithZimg: await Composer.ffmpegHasZimg(ffmpeg))
        composer.loudnessGain = try await composer.measureLoudnessGain(ffmpeg: ffmpeg)
        try composer.writeInputFiles(in: scratch)
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
