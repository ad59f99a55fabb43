public import Foundation

/// A JPEG frame of a finished video, for lists and players.
public enum Poster {
    /// Writes a frame from one second in (or the first frame of a shorter video) to `destination`,
    /// under a temporary name renamed into place.
    /// - Throws: ``RenderError`` with ffmpeg's stderr tail; `CancellationError`.
    static func make(for video: URL, at destination: URL, ffmpeg: Tool) async throws {
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".poster.\(UUID().uuidString.prefix(8)).partial.jpg")
        defer { try? FileManager.default.removeItem(at: partial) }
        for start in ["1", "0"] {
            let result = try await ToolRunner().run(ffmpeg, arguments: [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", start, "-i", video.path,
                "-frames:v", "1", "-q:v", "3", "-update", "1", partial.path,
            ])
            try Task.checkCancellation()
            if result.isSuccess, FileManager.default.fileExists(atPath: partial.path) {
                guard rename(partial.path, destination.path) == 0 else { break }
                return
            }
        }
        throw RenderError(.ffmpegFailed, "could not take a poster frame from \(video.lastPathComponent)")
    }

    /// Writes the frame at `seconds` into `video` (a scene's thumbnail) to `destination`, under a
    /// temporary name renamed into place, so a reader never sees half a file.
    /// - Throws: ``RenderError`` with ffmpeg's stderr tail; `CancellationError`.
    public static func frame(of video: URL, at seconds: Double, to destination: URL, width: Int = 360, ffmpeg: Tool = .ffmpeg) async throws {
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".thumb.\(UUID().uuidString.prefix(8)).partial.jpg")
        defer { try? FileManager.default.removeItem(at: partial) }
        let result = try await ToolRunner().run(ffmpeg, arguments: [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", String(format: "%.3f", max(0, seconds)), "-i", video.path,
            "-frames:v", "1", "-vf", "scale=\(width):-2", "-q:v", "4", "-update", "1", partial.path,
        ])
        try Task.checkCancellation()
        guard result.isSuccess, FileManager.default.fileExists(atPath: partial.path), rename(partial.path, destination.path) == 0 else {
            throw RenderError(.ffmpegFailed, "could not take a frame at \(seconds) s from \(video.lastPathComponent)")
        }
    }
}
