public import Foundation

extension Composer {
    /// Where a segment's frames come from.
    enum Source: Sendable, Hashable {
        /// An input of its own (a still, a generated background, or a clip unlike its neighbours).
        case own(Int)
        /// A run of consecutive clips read through one concat-demuxer input.
        case shared(SharedRun)
    }

    /// Consecutive clips of one codec, size and pixel format, read in order through one decoder.
    struct SharedRun: Sendable, Hashable {
        /// The clip list's file name, in the working directory.
        var listName: String
        /// The list, in ffmpeg's concat-demuxer format.
        var list: String
        /// The segments, in order.
        var segments: [Int]
        /// The clips' pixel format, as ffprobe named it (the same for every clip of a run).
        var pixelFormat: String?
        /// Each segment's stretch of the joined stream, and how its clock is changed.
        var windows: [Window]
    }

    /// A segment's stretch of a shared stream, in seconds, and its timing filter.
    struct Window: Sendable, Hashable {
        var start: Double
        var end: Double
        var timing: String
    }

    /// How segments get their frames. Crossfades need two clips decoding at once, so with them every
    /// segment keeps its own input.
    var plan: [Source] {
        guard crossfadeFrames == 0 else { return timeline.segments.indices.map { .own($0) } }
        var result: [Source] = []
        var run: [Int] = []
        var runKey: String?
        func flush() {
            if run.count >= 2 {
                let number = result.filter { if case .shared = $0 { true } else { false } }.count
                result.append(.shared(sharedRun(run, number: number)))
            } else {
                result += run.map { .own($0) }
            }
            run = []
        }
        for (index, segment) in timeline.segments.enumerated() {
            if case .video(let url, _) = segment.visual, let info = timeline.sources[url], let codec = info.videoCodec {
                let key = "\(codec) \(info.width)x\(info.height) \(info.pixelFormat ?? "unknown")"
                if key != runKey {
                    flush()
                    runKey = key
                }
                run.append(index)
            } else {
                flush()
                runKey = nil
                result.append(.own(index))
            }
        }
        flush()
        return result
    }

    /// The files ``arguments(target:)`` names relative to the working directory (the clip lists).
    public var inputFiles: [(name: String, contents: String)] {
        plan.compactMap { source in
            if case .shared(let run) = source { (run.listName, run.list) } else { nil }
        }
    }

    /// Writes ``inputFiles`` into `directory`, which must then be ffmpeg's working directory.
    public func writeInputFiles(in directory: URL) throws {
        for file in inputFiles {
            try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name), options: .atomic)
        }
    }

    /// The clip list and windows for a run: a clip longer than its slot is cut with `outpoint`, one a
    /// little shorter is slowed, one much shorter is listed again until it fills the slot. Every entry
    /// states its `duration`, so each window's place in the joined stream is exact.
    private func sharedRun(_ segments: [Int], number: Int) -> SharedRun {
        var lines = ["ffconcat version 1.0"]
        var windows: [Window] = []
        var clock = 0.0
        func entry(_ url: URL, _ length: Double) {
            let path = url.path.replacingOccurrences(of: "'", with: "'\\''")
            lines += ["file '\(path)'", "outpoint \(Self.seconds(length))", "duration \(Self.seconds(length))"]
            clock += Double(Self.seconds(length)) ?? length
        }
        for segment in segments {
            guard case .video(let url, let duration) = timeline.segments[segment].visual else { continue }
            let seconds = renderedSeconds(segment)
            let start = clock
            var timing = "setpts=PTS-STARTPTS"
            if duration >= seconds {
                entry(url, seconds)
            } else if duration >= seconds * 0.7 {
                entry(url, duration)
                timing = "setpts=\(String(format: "%.5f", seconds / duration))*(PTS-STARTPTS)"
            } else {
                var left = seconds
                while left > 0.01 {
                    entry(url, min(duration, left))
                    left -= min(duration, left)
                }
            }
            windows.append(Window(start: start, end: clock, timing: timing))
        }
        var pixelFormat: String?
        if let first = segments.first, case .video(let url, _) = timeline.segments[first].visual {
            pixelFormat = timeline.sources[url]?.pixelFormat
        }
        return SharedRun(
            listName: "clips-\(number).ffconcat", list: lines.joined(separator: "\n") + "\n", segments: segments,
            pixelFormat: pixelFormat, windows: windows
        )
    }
}
