public import Foundation

/// Progress of one ffmpeg run, from its `-progress` output.
public struct RenderProgress: Sendable, Hashable {
    /// How much of the output is written, 0…1.
    public var fraction: Double
    /// Estimated time left, from the rate so far; `nil` until there is a rate.
    public var remaining: Duration?
    /// Encoding speed relative to real time (2 = twice as fast as playback).
    public var speed: Double?
}

/// Runs an ffmpeg command line that reports `-progress pipe:1`, and turns its output into progress.
public struct FFmpegRunner: Sendable {
    /// The ffmpeg program.
    public var tool: Tool

    /// Creates a runner.
    public init(tool: Tool = .ffmpeg) {
        self.tool = tool
    }

    /// Runs ffmpeg with `arguments` in `directory`, reporting progress against `duration` seconds.
    ///
    /// - Throws: ``RenderError`` (`ffmpegMissing`, or `ffmpegFailed` with ffmpeg's stderr tail);
    ///   `CancellationError` when cancelled, after ffmpeg has been stopped.
    public func run(
        _ arguments: [String],
        duration: Double,
        workingDirectory: URL? = nil,
        progress: @escaping @Sendable (RenderProgress) async -> Void
    ) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let result: ToolResult
        do {
            result = try await ToolRunner().stream(tool, arguments: arguments, workingDirectory: workingDirectory) { line in
                guard line.hasPrefix("out_time_us=") || line.hasPrefix("out_time_ms="),
                    let micros = Double(line.split(separator: "=").last ?? ""), micros >= 0, duration > 0
                else {
                    if line == "progress=end" { await progress(RenderProgress(fraction: 1, remaining: .zero)) }
                    return
                }
                let done = micros / 1_000_000
                let fraction = min(done / duration, 1)
                let elapsed = clock.now - started
                let seconds = elapsed.inSeconds
                var remaining: Duration?
                var speed: Double?
                if fraction > 0.02, seconds > 0.5 {
                    remaining = .seconds(seconds * (1 - fraction) / fraction)
                    speed = done / seconds
                }
                await progress(RenderProgress(fraction: fraction, remaining: remaining, speed: speed))
            }
        } catch let error as ToolError {
            throw RenderError.missing(error)
        }
        guard result.isSuccess else {
            throw RenderError(.ffmpegFailed, "ffmpeg failed (\(result.status)): \(result.lastError)", stderrTail: result.stderrTail)
        }
    }
}
