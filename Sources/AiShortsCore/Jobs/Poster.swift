public import Foundation

/// JPEG frames of a finished video: its poster, for lists and players, and a frame per scene, for
/// the studio's scene list.
public enum Poster {
    /// Writes a frame from one second in (or the first frame of a shorter video) to `destination`.
    /// - Throws: ``RenderError``; `CancellationError`.
    static func make(for video: URL, at destination: URL, ffmpeg: Tool) async throws {
        do {
            try await frame(of: video, at: 1, to: destination, width: nil, quality: 3, ffmpeg: ffmpeg)
        } catch is RenderError {
            try await frame(of: video, at: 0, to: destination, width: nil, quality: 3, ffmpeg: ffmpeg)
        }
    }

    /// Writes the frame at `seconds` into `video`, scaled to `width` pixels across (`nil`: as it is),
    /// to `destination`, under a temporary name renamed into place, so a reader never sees half a file.
    /// - Throws: ``RenderError`` when ffmpeg gives no frame (past the end, an unreadable file);
    ///   `CancellationError`.
    public static func frame(of video: URL, at seconds: Double, to destination: URL, width: Int? = 360, quality: Int = 4,
                             ffmpeg: Tool = .ffmpeg) async throws {
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".frame.\(UUID().uuidString.prefix(8)).partial.jpg")
        defer { try? FileManager.default.removeItem(at: partial) }
        var arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        // No seek for the first frame: ffmpeg given `-ss 0` drops the only frame of some JPEG stills
        // and exits 0 without writing anything.
        if seconds > 0 { arguments += ["-ss", String(format: "%.3f", seconds)] }
        arguments += ["-i", video.path, "-frames:v", "1"]
        if let width { arguments += ["-vf", "scale=\(width):-2"] }
        arguments += ["-q:v", String(quality), "-update", "1", partial.path]
        let result = try await ToolRunner().run(ffmpeg, arguments: arguments)
        try Task.checkCancellation()
        guard result.isSuccess, FileManager.default.fileExists(atPath: partial.path), rename(partial.path, destination.path) == 0 else {
            throw RenderError(.ffmpegFailed, "could not take a frame at \(seconds) s from \(video.lastPathComponent)")
        }
    }
}
