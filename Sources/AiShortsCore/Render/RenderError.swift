/// The video could not be composed or written.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable { case ffmpegMissing, ffmpegFailed, outputNotWritable, probeFailed, unreadableAudio }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// ffmpeg or ffprobe is not installed.
        public static var ffmpegMissing: Self { .init(.ffmpegMissing) }
        /// ffmpeg ran and failed; ``RenderError/stderrTail`` says why.
        public static var ffmpegFailed: Self { .init(.ffmpegFailed) }
        /// The output folder cannot be created or written.
        public static var outputNotWritable: Self { .init(.outputNotWritable) }
        /// The music file cannot be read as audio.
        public static var unreadableAudio: Self { .init(.unreadableAudio) }
        /// The finished video could not be measured.
        public static var probeFailed: Self { .init(.probeFailed) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, on one line.
    public var message: String
    /// ffmpeg's last stderr lines, when it ran.
    public var stderrTail: [String]

    /// Creates a render error.
    public init(_ code: Code, _ message: String, stderrTail: [String] = []) {
        self.code = code
        self.message = message
        self.stderrTail = stderrTail
    }

    /// The error for ffmpeg or ffprobe not being installed, with the command that installs it.
    static func missing(_ error: ToolError) -> RenderError {
        RenderError(.ffmpegMissing, "\(error.tool) is not installed (\(error.reason)); run `make bootstrap` or `apt-get install ffmpeg`")
    }

    /// The message, on one line.
    public var description: String { message }
}
