public import Foundation

extension Composer {
    /// The loudness every short is normalised to, as YouTube, TikTok and Instagram play back.
    public static let targetLoudness = -14.0

    /// The true-peak ceiling after normalisation, in dBFS.
    static let peakCeiling = -1.5

    var audioInputs: [String] {
        var inputs = ["-i", timeline.narration.path]
        if let music = timeline.music { inputs += ["-stream_loop", "-1", "-i", music.file.path] }
        return inputs
    }

    /// The last filters of the mix: a measured gain and a limiter, or one-pass `loudnorm`.
    ///
    /// A measured gain is both cheaper and cleaner: `loudnorm`'s one-pass mode resamples to 192 kHz,
    /// pumps the level, and holds three seconds of audio, which makes ffmpeg queue video behind it
    /// (about 100 MB at 1080x1920).
    var master: String {
        guard let loudnessGain else { return "loudnorm=I=\(Self.targetLoudness):TP=\(Self.peakCeiling):LRA=11,aresample=48000" }
        return Self.gainAndLimiter(loudnessGain)
    }

    static func gainAndLimiter(_ gain: Double) -> String {
        let ceiling = pow(10, peakCeiling / 20)
        return String(format: "volume=%.2fdB,alimiter=limit=%.4f:attack=2:release=50:level=disabled", gain, ceiling)
    }

    /// The narration and music graph, ending in `[aout]`.
    func audio(narration: Int, master: String) -> [String] {
        let total = Self.seconds(timeline.duration)
        let prepare = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
        guard let music = timeline.music else {
            return ["[\(narration):a]\(prepare),apad,atrim=0:\(total),\(master)[aout]"]
        }
        let fadeOut = Self.seconds(max(timeline.duration - 2, 0))
        return [
            "[\(narration):a]\(prepare),apad,atrim=0:\(total),asplit=2[voice][key]",
            "[\(narration + 1):a]\(prepare),volume=\(music.volume),atrim=0:\(total),"
                + "afade=t=in:d=1,afade=t=out:st=\(fadeOut):d=2[bed]",
            // Music ducks by up to ~18 dB within 15 ms of the voice starting and recovers over 350 ms.
            "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=15:release=350:makeup=1[ducked]",
            "[voice][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,\(master)[aout]",
        ]
    }

    /// ffmpeg arguments that mix the sound exactly as the render will (with `gain` and the limiter, if
    /// given) and measure its integrated loudness (EBU R128); audio only, so it costs a fraction of a second.
    public func loudnessAnalysisArguments(gain: Double? = nil) -> [String] {
        let master = (gain.map { Self.gainAndLimiter($0) + "," } ?? "") + "ebur128=framelog=verbose"
        return ["-hide_banner", "-nostdin", "-nostats"] + audioInputs
            + ["-filter_complex", audio(narration: 0, master: master).joined(separator: ";"), "-map", "[aout]", "-f", "null", "-"]
    }

    /// Measures the mix and returns the gain that brings it to ``targetLoudness`` after the limiter.
    ///
    /// Two audio-only passes: the first measures the mix as it is; the second measures it with that
    /// gain and the limiter, whose peak reduction lowers the loudness a little, and corrects for it.
    /// - Returns: `nil` when the mix is silent or cannot be measured (the render then uses `loudnorm`).
    /// - Throws: ``RenderError`` when ffmpeg is missing; `CancellationError`.
    public func measureLoudnessGain(ffmpeg: Tool = .ffmpeg) async throws -> Double? {
        guard let raw = try await measureLoudness(gain: nil, ffmpeg: ffmpeg), raw > -70 else { return nil }
        let first = min(Self.targetLoudness - raw, 30)
        guard let limited = try await measureLoudness(gain: first, ffmpeg: ffmpeg) else { return first }
        return min(first + (Self.targetLoudness - limited), 30)
    }

    private func measureLoudness(gain: Double?, ffmpeg: Tool) async throws -> Double? {
        let result: ToolResult
        do { result = try await ToolRunner().run(ffmpeg, arguments: loudnessAnalysisArguments(gain: gain)) } catch let error as ToolError {
            throw RenderError.missing(error)
        }
        return result.isSuccess ? OutputReport.integratedLoudness(in: result.stderrTail) : nil
    }
}
