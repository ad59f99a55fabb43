public import Foundation

/// Compiles a ``Timeline`` into the arguments of ONE ffmpeg process that decodes, fits, animates, joins,
/// captions, mixes and encodes the whole short.
///
/// One process means every frame is decoded once, filtered once and encoded once, with no intermediate
/// files: the cost is close to decoding plus encoding alone (see `make bench`). Per picture: videos are
/// trimmed, or looped when much shorter than their slot, or slowed down when a little shorter; then
/// cover-cropped before scaling (so only the pixels kept are scaled), set to the output rate and pixel
/// format, and padded by repeating the last frame only if a file ends early. Consecutive clips of the
/// same codec, size and pixel format are read through one concat-demuxer input, one decoder and one
/// scaler, and `segment` deals the joined stream out to the scenes (ffmpeg 5.1 keeps every input's
/// decoder and every filter's frame pool until it exits, so per-clip inputs cost memory per clip:
/// measured ~150 MB more for five HD clips, for no less CPU). Stills are scaled once, repeated, and
/// moved with a slow pan or zoom. Sound: the narration padded to length, music looped, ducked under
/// the voice by a sidechain compressor, the mix normalised to -14 LUFS.
///
/// ```swift
/// let composer = Composer(timeline: timeline, loudnessGain: try await Composer(timeline: timeline).measureLoudnessGain())
/// try composer.writeInputFiles(in: workDirectory)
/// try await FFmpegRunner().run(composer.arguments(target: .mp4(output)), duration: timeline.duration,
///                              workingDirectory: workDirectory) { progress in … }
/// ```
public struct Composer: Sendable {
    /// Where the composed result goes.
    public enum Target: Sendable, Hashable {
        /// An H.264/AAC MP4 with `+faststart`.
        case mp4(URL)
        /// Uncompressed frames and PCM in NUT, for measuring the encoder floor.
        case raw(URL)
    }

    /// The timeline to render.
    public var timeline: Timeline
    /// The gain in dB that brings the mix to -14 LUFS, measured beforehand by
    /// ``loudnessAnalysisArguments()``; `nil` falls back to ffmpeg's one-pass `loudnorm`.
    public var loudnessGain: Double?
    /// Decoder threads per video input.
    ///
    /// ffmpeg 5.1 keeps every input's decoder (and its frame pool) until it exits, so threads cost
    /// memory per input: with five separate 1080p inputs, 2 threads measured about 6 % faster than 1 and
    /// about 50 MB larger; ffmpeg's default (cores + 1) was larger again with no further gain.
    public var decoderThreads: Int

    /// Whether 8-bit 4:2:0 footage is scaled by zimg (`zscale`) rather than swscale; see `fit(_:)`.
    /// ``ffmpegHasZimg(_:)`` says whether the ffmpeg at hand has it (Debian's does).
    public var scalesWithZimg: Bool

    /// Creates a composer for a timeline.
    public init(timeline: Timeline, loudnessGain: Double? = nil, decoderThreads: Int = 2, scalesWithZimg: Bool = true) {
        self.timeline = timeline
        self.loudnessGain = loudnessGain
        self.decoderThreads = decoderThreads
        self.scalesWithZimg = scalesWithZimg
    }

    /// Whether `ffmpeg` has the `zscale` filter (an ffmpeg built without libzimg has not).
    ///
    /// - Returns: `false` also when ffmpeg cannot be run; the render then reports that itself.
    public static func ffmpegHasZimg(_ ffmpeg: Tool = .ffmpeg) async -> Bool {
        guard let result = try? await ToolRunner().run(ffmpeg, arguments: ["-hide_banner", "-nostdin", "-filters"]), result.isSuccess else {
            return false
        }
        return result.stdoutText.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == "zscale" }
    }

    /// How much each still is enlarged beyond the frame, leaving room to pan and zoom.
    static let stillMargin = 1.15

    /// The crossfade length in whole frames, or 0 when the transition is not a crossfade (or a segment
    /// is too short for one).
    var crossfadeFrames: Int {
        guard case .crossfade(let seconds) = timeline.transition, timeline.segments.count > 1 else { return 0 }
        let frames = max(Int((seconds * Double(timeline.fps)).rounded()), 1)
        let shortest = timeline.segments.map(\.frames).min() ?? 0
        return shortest > frames * 2 ? frames : 0
    }

    /// Frames of each half of a dip through black (fade out, then fade in), or 0.
    var dipFrames: Int {
        guard case .fade(let seconds) = timeline.transition, timeline.segments.count > 1 else { return 0 }
        let half = max(Int((seconds * Double(timeline.fps) / 2).rounded()), 1)
        let shortest = timeline.segments.map(\.frames).min() ?? 0
        return shortest > half * 4 ? half : 0
    }

    /// The ffmpeg arguments (without the program name).
    ///
    /// Inputs are absolute paths. The captions file and the clip lists of ``inputFiles`` are named
    /// relative to the working directory, which must be the folder they are in (this avoids
    /// filter-graph escaping of arbitrary paths).
    public func arguments(target: Target) -> [String] {
        var inputs: [String] = []
        var graph: [String] = []
        for (index, source) in plan.enumerated() {
            switch source {
            case .own(let segment):
                let (input, filter) = picture(timeline.segments[segment], seconds: renderedSeconds(segment))
                inputs += input
                graph.append("[\(index):v]\(filter)\(dip(segment))[v\(segment)]")
            case .shared(let run):
                inputs += ["-threads", String(decoderThreads), "-f", "concat", "-safe", "0", "-i", run.listName]
                // `segment` hands each frame to exactly one scene's branch. `split` with a `trim` per
                // branch gave every branch a reference to every frame, so the first filter that
                // writes in place (`fade`, `ass`) found it shared and copied the 3 MB frame first
                // (memcpy was ~4 % of a profile of decoding and filtering). Measured: the same frames
                // out (frame MD5s), ~1 % less CPU for decoding and filtering.
                let cuts = run.windows.dropFirst().map { Self.seconds($0.start) }.joined(separator: "|")
                graph.append("[\(index):v]\(fit(run.pixelFormat)),segment=timestamps=\(cuts)" + run.segments.map { "[s\($0)]" }.joined())
                for (segment, window) in zip(run.segments, run.windows) {
                    let frames = Int((renderedSeconds(segment) * Double(timeline.fps)).rounded())
                    graph.append("[s\(segment)]\(window.timing),\(finish(frames: frames))\(dip(segment))[v\(segment)]")
                }
            }
        }
        graph.append(join())
        inputs += audioInputs
        graph.append(contentsOf: audio(narration: plan.count, master: master))
        var output = [
            "-filter_complex", graph.joined(separator: ";\n"),
            "-map", "[vout]", "-map", "[aout]", "-t", Self.seconds(timeline.duration),
        ]
        switch target {
        case .mp4(let url):
            output += [
                "-c:v", "libx264", "-preset", timeline.preset, "-crf", String(timeline.crf), "-pix_fmt", "yuv420p",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
                "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", "-f", "mp4", url.path,
            ]
        case .raw(let url):
            output += ["-c:v", "rawvideo", "-c:a", "pcm_s16le", "-f", "nut", url.path]
        }
        // One filter thread: the graph's work is small next to decoding and x264, which already keep
        // both cores busy; slice threads in the filters only added contention (measured ~1.5 % slower).
        return ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1", "-y",
                "-filter_complex_threads", "1"] + inputs + output
    }

    /// How long a segment is rendered: its own frames, plus the next crossfade's overlap.
    func renderedSeconds(_ index: Int) -> Double {
        let isLast = index == timeline.segments.count - 1
        return Double(timeline.segments[index].frames + (isLast ? 0 : crossfadeFrames)) / Double(timeline.fps)
    }

    /// The dip-through-black fades at a segment's ends, if the transition is a dip.
    private func dip(_ index: Int) -> String {
        let half = dipFrames
        guard half > 0 else { return "" }
        var filters = ""
        if index > 0 { filters += ",fade=t=in:s=0:n=\(half)" }
        if index < timeline.segments.count - 1 {
            filters += ",fade=t=out:s=\(timeline.segments[index].frames - half):n=\(half)"
        }
        return filters
    }

    /// Converts to limited-range BT.709, the matrix players assume for HD; without it swscale uses BT.601
    /// for RGB sources and colours shift.
    static let bt709 = "out_color_matrix=bt709:out_range=tv"

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    static func even(_ value: Double) -> Int { Int(value / 2) * 2 }
}
