import Foundation

extension Composer {
    /// Joins the segments: a plain `concat` (cuts, and dips through black, which are applied per
    /// segment), or, with crossfades, a `concat` of each segment's body and short blended pieces.
    ///
    /// ffmpeg 5.1's `xfade` cannot work in 4:2:0, so chaining it over whole segments would convert every
    /// frame of the video to 4:4:4 and back (measured: about 10 % more time and twice the frame memory).
    /// Instead each segment is split into head, body and tail by frame number; only the fade frames
    /// (head of one segment with tail of the previous) go through `xfade`, and everything else stays
    /// 4:2:0. The frames shown are the same as a full-length `xfade` chain would give.
    func join() -> String {
        let fadeFrames = crossfadeFrames
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

}
