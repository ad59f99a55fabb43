import Foundation

/// A JPEG frame of a finished video, for lists and players.
enum Poster {
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
}
