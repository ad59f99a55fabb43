public import Foundation

/// What ffprobe says about a media file.
public struct MediaInfo: Sendable, Hashable, Codable {
    /// Whether the file is a moving video, a single picture, or sound only.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A video with more than one frame.
        case video
        /// A still picture (PNG, JPEG, WebP, …).
        case still
        /// Audio without pictures.
        case audio
    }

    /// The kind of media.
    public var kind: Kind
    /// Duration in seconds; `nil` for stills.
    public var duration: Double?
    /// Picture width, 0 for audio.
    public var width: Int
    /// Picture height, 0 for audio.
    public var height: Int
    /// The video codec, when there is a picture.
    public var videoCodec: String?
    /// The audio codec, when there is sound.
    public var audioCodec: String?
    /// The decoded pixel format of the picture, such as `yuv420p`.
    public var pixelFormat: String?

    /// Creates media information.
    public init(
        kind: Kind,
        duration: Double?,
        width: Int,
        height: Int,
        videoCodec: String?,
        audioCodec: String?,
        pixelFormat: String? = nil
    ) {
        self.kind = kind
        self.duration = duration
        self.width = width
        self.height = height
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.pixelFormat = pixelFormat
    }
}

/// The outcome of probing a file: readable media, or the reason it is not (an expected outcome).
public enum ProbeOutcome: Sendable, Hashable, Codable {
    /// ffprobe read the file.
    case readable(MediaInfo)
    /// ffprobe could not read the file; the reason is ffprobe's own last line.
    case unreadable(String)
}

/// Probes media files with ffprobe, caching results on disk by path, size and modification time.
public struct MediaProbe: Sendable {
    /// The disk cache for probe results.
    public var cache: DiskCache?
    /// The job's cache statistics, if counted.
    public var stats: CacheStats?
    /// The ffprobe program.
    public var tool: Tool

    /// Creates a probe.
    public init(cache: DiskCache? = nil, stats: CacheStats? = nil, tool: Tool = .ffprobe) {
        self.cache = cache
        self.stats = stats
        self.tool = tool
    }

    /// Probes `url`.
    ///
    /// - Throws: ``ToolError`` when ffprobe itself is missing; an unreadable file is not thrown.
    public func probe(_ url: URL) async throws -> ProbeOutcome {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let attributes else { return .unreadable("no such file") }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = DiskCache.key(["probe-v2", url.path, String(size), String(modified)])
        if let cache, let data = cache.data(namespace: "probe", key: key, extension: "json"),
            let outcome = try? JSONDecoder().decode(ProbeOutcome.self, from: data)
        {
            await stats?.record("probe", hit: true)
            return outcome
        }
        await stats?.record("probe", hit: false)
        let outcome = try await runProbe(url)
        if let cache, let data = try? JSONEncoder().encode(outcome) {
            _ = try? cache.store(data, namespace: "probe", key: key, extension: "json")
        }
        return outcome
    }

    private struct Output: Decodable {
        struct Stream: Decodable {
            var codec_type: String?
            var codec_name: String?
            var width: Int?
            var height: Int?
            var duration: String?
            var nb_frames: String?
            var pix_fmt: String?
        }
        struct Format: Decodable {
            var format_name: String?
            var duration: String?
        }
        var streams: [Stream]?
        var format: Format?
    }

    private static let stillCodecs: Set<String> = ["png", "mjpeg", "webp", "bmp", "tiff", "jpegls", "pgm", "ppm", "jpeg2000"]

    private func runProbe(_ url: URL) async throws -> ProbeOutcome {
        let result = try await ToolRunner().run(
            tool,
            arguments: ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,duration,nb_frames,pix_fmt:format=format_name,duration", "-of", "json", url.path]
        )
        guard result.isSuccess else { return .unreadable(result.lastError) }
        guard let output = try? JSONDecoder().decode(Output.self, from: result.stdout) else {
            return .unreadable("ffprobe gave no readable answer")
        }
        let streams = output.streams ?? []
        let video = streams.first { $0.codec_type == "video" && ($0.width ?? 0) > 0 }
        let audio = streams.first { $0.codec_type == "audio" }
        let duration = output.format?.duration.flatMap(Double.init) ?? video?.duration.flatMap(Double.init)
        let format = output.format?.format_name ?? ""
        if let video {
            let codec = video.codec_name ?? ""
            let isStill = Self.stillCodecs.contains(codec) || format.hasSuffix("_pipe") || format == "image2"
                || (duration ?? 0) <= 0.05 || video.nb_frames == "1"
            return .readable(MediaInfo(
                kind: isStill ? .still : .video,
                duration: isStill ? nil : duration,
                width: video.width ?? 0,
                height: video.height ?? 0,
                videoCodec: codec,
                audioCodec: audio?.codec_name,
                pixelFormat: video.pix_fmt
            ))
        }
        if let audio {
            guard let duration, duration > 0 else { return .unreadable("the audio has no duration") }
            return .readable(MediaInfo(kind: .audio, duration: duration, width: 0, height: 0, videoCodec: nil, audioCodec: audio.codec_name))
        }
        return .unreadable("no picture or sound streams found")
    }
}
