public import Foundation

/// Compiles a ``Timeline`` into the arguments of ONE ffmpeg process that decodes, fits, animates, joins,
/// captions, mixes and encodes the whole short.
///
/// One process means every frame is decoded once, filtered once and encoded once, with no intermediate
/// files: the cost is close to encoding alone (see `make bench`). Per picture: videos are trimmed, or
/// looped when much shorter than their slot, or slowed down when a little shorter; then cover-cropped
/// before scaling (so only the pixels kept are scaled), set to the output rate and pixel format, and
/// padded by repeating the last frame only if a file ends early. Stills are scaled once, repeated, and
/// moved with a slow pan or zoom. Sound: the narration padded to length, music looped, ducked under the
/// voice by a sidechain compressor, the mix normalised to -14 LUFS.
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
    /// ffmpeg 5.1 keeps every input's decoder (and its frame pool) until it exits, so each thread costs
    /// memory once per clip: with five 1080p clips, 2 threads measured about 6 % faster than 1 and
    /// about 50 MB larger, and ffmpeg's default (cores + 1) larger again with no further gain.
    public var decoderThreads: Int

    /// Creates a composer for a timeline.
    public init(timeline: Timeline, loudnessGain: Double? = nil, decoderThreads: Int = 2) {
        self.timeline = timeline
        self.loudnessGain = loudnessGain
        self.decoderThreads = decoderThreads
    }

    /// How much each still is enlarged beyond the frame, leaving room to pan and zoom.
    static let stillMargin = 1.15

    /// The crossfade length in whole frames, or 0 for cuts (also when a segment is too short to fade).
    var fadeFrames: Int {
        guard case .fade(let seconds) = timeline.transition, timeline.segments.count > 1 else { return 0 }
        let frames = max(Int((seconds * Double(timeline.fps)).rounded()), 1)
        let shortest = timeline.segments.map(\.frames).min() ?? 0
        return shortest > frames * 2 ? frames : 0
    }

    /// The ffmpeg arguments (without the program name). Inputs are absolute paths; the captions file is
    /// named relative to its folder, which must be ffmpeg's working directory (this avoids filter-graph
    /// escaping of arbitrary paths).
    public func arguments(target: Target) -> [String] {
        var inputs: [String] = []
        var graph: [String] = []
        let fade = fadeFrames
        let fps = timeline.fps
        for (index, segment) in timeline.segments.enumerated() {
            let isLast = index == timeline.segments.count - 1
            let seconds = Double(segment.frames + (isLast ? 0 : fade)) / Double(fps)
            let (input, filter) = picture(segment, seconds: seconds)
            inputs += input
            graph.append("[\(index):v]\(filter)[v\(index)]")
        }
        graph.append(join(fade: fade))
        let narrationIndex = timeline.segments.count
        inputs += audioInputs
        graph.append(contentsOf: audio(narration: narrationIndex, master: master))
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

    private func picture(_ segment: Timeline.Segment, seconds: Double) -> (input: [String], filter: String) {
        let width = timeline.width
        let height = timeline.height
        let fps = timeline.fps
        let frames = Int((seconds * Double(fps)).rounded())
        let length = Self.seconds(seconds)
        let fit = "crop=w='2*trunc(min(iw,ih*\(width)/\(height))/2)':h='2*trunc(min(ih,iw*\(height)/\(width))/2)',"
            + "scale=\(width):\(height):flags=bicubic:\(Self.bt709),format=yuv420p,setsar=1"
        let finish = "fps=\(fps),format=yuv420p,tpad=stop_mode=clone:stop=\(frames),trim=end_frame=\(frames),setpts=N/\(fps)/TB"
        switch segment.visual {
        case .video(let url, let duration):
            let threads = ["-threads", String(decoderThreads)]
            if duration >= seconds {
                return (threads + ["-t", length, "-i", url.path], "setpts=PTS-STARTPTS,\(fit),\(finish)")
            }
            if duration >= seconds * 0.7 {
                let factor = String(format: "%.5f", seconds / duration)
                return (threads + ["-i", url.path], "setpts=\(factor)*(PTS-STARTPTS),\(fit),\(finish)")
            }
            return (threads + ["-stream_loop", "-1", "-t", length, "-i", url.path], "setpts=PTS-STARTPTS,\(fit),\(finish)")
        case .still(let url):
            let bigWidth = Self.even(Double(width) * Self.stillMargin)
            let bigHeight = Self.even(Double(height) * Self.stillMargin)
            let prepare = "scale=\(bigWidth):\(bigHeight):force_original_aspect_ratio=increase:flags=lanczos:\(Self.bt709),"
                + "format=yuv420p,crop=\(bigWidth):\(bigHeight),setsar=1,"
                + "loop=loop=\(max(frames - 1, 0)):size=1:start=0,setpts=N/\(fps)/TB"
            return (["-i", url.path], "\(prepare),\(motion(segment.motion, seconds: seconds)),\(finish)")
        case .generated(let seed):
            let palettes = [
                ("0x0f2027", "0x2c5364", "0x203a43"), ("0x41295a", "0x2f0743", "0x1f1c2c"),
                ("0x0b486b", "0xf56217", "0x2b1a3d"), ("0x134e5e", "0x71b280", "0x0d2b33"),
            ]
            let (c0, c1, c2) = palettes[abs(seed) % palettes.count]
            let source = "gradients=s=\(width)x\(height):r=\(fps):d=\(length):n=3:c0=\(c0):c1=\(c1):c2=\(c2)"
                + ":speed=0.012:seed=\(abs(seed) + 1)"
            return (["-f", "lavfi", "-i", source], "scale=\(Self.bt709),setsar=1,\(finish)")
        }
    }

    /// A slow camera move over an enlarged still: zoom in, pan right, zoom out, pan down, in turn.
    ///
    /// Zoom sizes round up to even numbers so the frame never gets smaller than the crop after it.
    private func motion(_ kind: Int, seconds: Double) -> String {
        let width = timeline.width
        let height = timeline.height
        let span = Self.seconds(Self.stillMargin - 1)
        let d = Self.seconds(seconds)
        let crop = "crop=\(width):\(height)"
        switch kind % 4 {
        case 0:
            let zoom = "(\(Self.stillMargin)-\(span)*(1-t/\(d)))"
            return "scale=w='2*ceil(\(width)*\(zoom)/2)':h='2*ceil(\(height)*\(zoom)/2)':eval=frame:flags=bicubic,\(crop)"
        case 1:
            return "\(crop):x='(iw-ow)*t/\(d)':y='(ih-oh)/2'"
        case 2:
            let zoom = "(\(Self.stillMargin)-\(span)*t/\(d))"
            return "scale=w='2*ceil(\(width)*\(zoom)/2)':h='2*ceil(\(height)*\(zoom)/2)':eval=frame:flags=bicubic,\(crop)"
        default:
            return "\(crop):x='(iw-ow)/2':y='(ih-oh)*t/\(d)'"
        }
    }

    /// Joins the segments: a plain `concat`, or, with crossfades, a `concat` of each segment's body and
    /// short blended pieces.
    ///
    /// ffmpeg 5.1's `xfade` cannot work in 4:2:0, so chaining it over whole segments would convert every
    /// frame of the video to 4:4:4 and back (measured: about 10 % more time and twice the frame memory).
    /// Instead each segment is split into head, body and tail by frame number; only the fade frames
    /// (head of one segment with tail of the previous) go through `xfade`, and everything else stays
    /// 4:2:0. The frames shown are the same as a full-length `xfade` chain would give.
    private func join(fade fadeFrames: Int) -> String {
        let count = timeline.segments.count
        let captions = timeline.captions.map { ",ass=filename=\($0.lastPathComponent)" } ?? ""
        if count == 1 { return "[v0]null\(captions)[vout]" }
        if fadeFrames == 0 {
            let labels = (0..<count).map { "[v\($0)]" }.joined()
            return "\(labels)concat=n=\(count):v=1:a=0\(captions)[vout]"
        }
        let fps = timeline.fps
        var chain: [String] = []
        var pieces: [String] = []
        for (index, segment) in timeline.segments.enumerated() {
            let hasHead = index > 0
            let hasTail = index < count - 1
            let outputs = ["b\(index)"] + (hasHead ? ["h\(index)"] : []) + (hasTail ? ["t\(index)"] : [])
            chain.append("[v\(index)]split=\(outputs.count)" + outputs.map { "[\($0)]" }.joined())
            let bodyStart = hasHead ? fadeFrames : 0
            chain.append("[b\(index)]trim=start_frame=\(bodyStart):end_frame=\(segment.frames),setpts=PTS-STARTPTS[body\(index)]")
            if hasHead {
                chain.append("[h\(index)]trim=end_frame=\(fadeFrames),setpts=PTS-STARTPTS[head\(index)]")
            }
            if hasTail {
                chain.append("[t\(index)]trim=start_frame=\(segment.frames):end_frame=\(segment.frames + fadeFrames),setpts=PTS-STARTPTS[tail\(index)]")
            }
            if hasHead {
                chain.append(
                    "[tail\(index - 1)][head\(index)]xfade=transition=fade:duration=\(Self.seconds(Double(fadeFrames) / Double(fps))):offset=0,"
                        + "format=yuv420p[fade\(index)]"
                )
                pieces.append("[fade\(index)]")
            }
            pieces.append("[body\(index)]")
        }
        chain.append("\(pieces.joined())concat=n=\(pieces.count):v=1:a=0\(captions)[vout]")
        return chain.joined(separator: ";\n")
    }

    /// Converts to limited-range BT.709, the matrix players assume for HD; without it swscale uses BT.601
    /// for RGB sources and colours shift.
    static let bt709 = "out_color_matrix=bt709:out_range=tv"

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    static func even(_ value: Double) -> Int { Int(value / 2) * 2 }
}
