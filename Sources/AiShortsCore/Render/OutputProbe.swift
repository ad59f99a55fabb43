public import Foundation

/// Measurements of a finished video, for the run report.
public struct OutputReport: Sendable, Hashable, Codable {
    /// Length in seconds.
    public var duration: Double
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Video codec name.
    public var videoCodec: String
    /// Audio codec name.
    public var audioCodec: String
    /// Integrated loudness in LUFS (EBU R128).
    public var integratedLoudness: Double?
    /// File size in bytes.
    public var bytes: Int64

    /// Measures `url` with ffprobe and ffmpeg's `ebur128` filter (run concurrently).
    ///
    /// - Throws: ``RenderError`` (`probeFailed`) when the file cannot be read.
    public static func measure(_ url: URL, probe: MediaProbe = MediaProbe(), ffmpeg: Tool = .ffmpeg) async throws -> OutputReport {
        async let loudness = integratedLoudness(of: url, ffmpeg: ffmpeg)
        guard case .readable(let info) = try await probe.probe(url), info.kind == .video else {
            throw RenderError(.probeFailed, "the finished video \(url.path) cannot be read back")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
        return OutputReport(
            duration: info.duration ?? 0,
            width: info.width,
            height: info.height,
            videoCodec: info.videoCodec ?? "",
            audioCodec: info.audioCodec ?? "",
            integratedLoudness: try await loudness,
            bytes: size
        )
    }

    /// The integrated loudness ffmpeg's `ebur128` filter reports, or `nil` when it reports none.
    public static func integratedLoudness(of url: URL, ffmpeg: Tool = .ffmpeg) async throws -> Double? {
        let result = try await ToolRunner().run(
            ffmpeg,
            arguments: ["-hide_banner", "-nostdin", "-nostats", "-i", url.path, "-vn", "-af", "ebur128=framelog=verbose", "-f", "null", "-"]
        )
        guard result.isSuccess else { return nil }
        return integratedLoudness(in: result.stderrTail)
    }

    /// The integrated loudness from the summary `ebur128` prints on stderr at the end of a run.
    static func integratedLoudness(in stderrTail: [String]) -> Double? {
        for line in stderrTail.reversed() where line.hasPrefix("I:") {
            let number = line.dropFirst(2).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return number.flatMap { Double($0) }
        }
        return nil
    }
}
