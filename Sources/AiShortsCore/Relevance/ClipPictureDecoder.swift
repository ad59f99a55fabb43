import Foundation

/// Turns pictures into the normalised `[3, S, S]` floats CLIP's vision tower takes, with ffmpeg.
///
/// ffmpeg decodes each picture straight to `S`x`S` rgb24 on stdout: the shortest side scaled to `S`
/// (bicubic, as CLIP's preprocessing), the middle cropped. Frames of one video are decoded in one
/// ffmpeg run (one seeking input per time, joined by `concat`); if that run fails or gives too few
/// frames, each frame is decoded on its own so that one bad time costs only its own picture. A
/// picture ffmpeg cannot decode gets no pixels; it is not an error.
struct ClipPictureDecoder: Sendable {
    /// The side of the square output.
    let size: Int
    /// Per-channel mean and standard deviation (R, G, B) the pixels in 0…1 are normalised with.
    let mean: [Float]
    let std: [Float]
    let ffmpeg: Tool
    let runner = ToolRunner()
    /// ffmpeg runs at once (each is mostly one decoding thread).
    let parallelRuns: Int

    /// The most frames of one video asked of one ffmpeg run.
    static let framesPerRun = 16

    init(size: Int, mean: [Float], std: [Float], ffmpeg: Tool, parallelRuns: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        self.size = size
        self.mean = mean
        self.std = std
        self.ffmpeg = ffmpeg
        self.parallelRuns = parallelRuns
    }

    /// The pixels of each picture, by index in `pictures`; undecodable pictures are absent.
    ///
    /// - Throws: ``ToolError`` when ffmpeg cannot be run at all, `CancellationError`.
    func decode(_ pictures: [RelevancePicture]) async throws -> [Int: [Float]] {
        // Jobs: one per image, one per run of up to `framesPerRun` frames of the same video.
        var frames: [URL: [(index: Int, time: Double)]] = [:]
        var jobs: [[(index: Int, picture: RelevancePicture)]] = []
        for (index, picture) in pictures.enumerated() {
            switch picture {
            case .image: jobs.append([(index, picture)])
            case .frame(let url, let time): frames[url, default: []].append((index, time))
            }
        }
        for (url, times) in frames.sorted(by: { $0.key.path < $1.key.path }) {
            let ordered = times.sorted { $0.time < $1.time }
            for start in stride(from: 0, to: ordered.count, by: Self.framesPerRun) {
                jobs.append(ordered[start..<min(start + Self.framesPerRun, ordered.count)].map { ($0.index, .frame(url, at: $0.time)) })
            }
        }
        return try await withThrowingTaskGroup(of: [Int: [Float]].self) { group in
            var results: [Int: [Float]] = [:]
            var next = 0
            while next < min(parallelRuns, jobs.count) {
                let job = jobs[next]
                group.addTask { try await self.decode(job) }
                next += 1
            }
            while let done = try await group.next() {
                results.merge(done) { first, _ in first }
                if next < jobs.count {
                    let job = jobs[next]
                    group.addTask { try await self.decode(job) }
                    next += 1
                }
            }
            return results
        }
    }

    /// Decodes one job: an image, or frames of one video in one run (then one by one if that fails).
    private func decode(_ job: [(index: Int, picture: RelevancePicture)]) async throws -> [Int: [Float]] {
        let bytes = try await run(job.map(\.picture))
        let frameBytes = size * size * 3
        if let bytes, bytes.count == job.count * frameBytes {
            var result: [Int: [Float]] = [:]
            for (offset, entry) in job.enumerated() {
                result[entry.index] = normalise(bytes[(offset * frameBytes)..<((offset + 1) * frameBytes)])
            }
            return result
        }
        guard job.count > 1 else { return [:] }
        var result: [Int: [Float]] = [:]
        for entry in job {
            try Task.checkCancellation()
            result.merge(try await decode([entry])) { first, _ in first }
        }
        return result
    }

    /// ffmpeg's raw rgb24 output for `pictures` (all images, or frames of one video), `nil` on failure.
    private func run(_ pictures: [RelevancePicture]) async throws -> [UInt8]? {
        let fit = "scale=\(size):\(size):force_original_aspect_ratio=increase:flags=bicubic,crop=\(size):\(size),setsar=1,format=rgb24"
        var arguments = ["-hide_banner", "-nostdin", "-loglevel", "error"]
        switch pictures.count == 1 ? pictures[0] : nil {
        case .image(let url)?:
            arguments += ["-i", url.path, "-an", "-frames:v", "1", "-vf", fit]
        case .frame(let url, let time)?:
            arguments += ["-ss", Self.seconds(time), "-i", url.path, "-an", "-frames:v", "1", "-vf", fit]
        case nil:
            // Several frames of one video: one seeking input per time; each keeps its first frame.
            var graph = ""
            for (index, picture) in pictures.enumerated() {
                guard case .frame(let url, let time) = picture else { return nil }
                arguments += ["-ss", Self.seconds(time), "-i", url.path]
                graph += "[\(index):v]trim=end_frame=1,\(fit),setpts=0[v\(index)];"
            }
            graph += (0..<pictures.count).map { "[v\($0)]" }.joined() + "concat=n=\(pictures.count):v=1:a=0,setpts=N[out]"
            arguments += ["-filter_complex", graph, "-map", "[out]", "-fps_mode", "passthrough"]
        }
        arguments += ["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        let result = try await runner.run(ffmpeg, arguments: arguments)
        return result.isSuccess ? [UInt8](result.stdout) : nil
    }

    /// A time for `-ss`, never negative.
    private static func seconds(_ time: Double) -> String {
        String(format: "%.3f", max(0, time.isFinite ? time : 0))
    }

    /// Interleaved rgb24 bytes as planar `[3, S, S]` floats: `(byte / 255 - mean) / std` per channel.
    func normalise(_ bytes: ArraySlice<UInt8>) -> [Float] {
        let plane = size * size
        var pixels = [Float](repeating: 0, count: 3 * plane)
        let base = bytes.startIndex
        for channel in 0..<3 {
            let scale = 1 / (255 * std[channel])
            let shift = mean[channel] / std[channel]
            for pixel in 0..<plane {
                pixels[channel * plane + pixel] = Float(bytes[base + pixel * 3 + channel]) * scale - shift
            }
        }
        return pixels
    }
}
