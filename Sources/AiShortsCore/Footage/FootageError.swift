/// Footage cannot be found, fetched or used: a named file is unusable, or a source failed.
public struct FootageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable { case unreadableMedia, noPicture, emptyFolder, unauthorized, rateLimited, serverError, badResponse, timeout,
            downloadFailed, truncated, toolFailed, notConfigured, indexUnavailable }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// ffprobe cannot read the file (corrupt, truncated, or a format ffmpeg does not know).
        public static var unreadableMedia: Self { .init(.unreadableMedia) }
        /// The file has sound but no picture.
        public static var noPicture: Self { .init(.noPicture) }
        /// A folder named as media holds no media files.
        public static var emptyFolder: Self { .init(.emptyFolder) }
        /// The source refused the API key (HTTP 401/403).
        public static var unauthorized: Self { .init(.unauthorized) }
        /// The source asked to slow down (HTTP 429) longer than the retry policy waits.
        public static var rateLimited: Self { .init(.rateLimited) }
        /// The source failed (HTTP 5xx) after retries.
        public static var serverError: Self { .init(.serverError) }
        /// The source answered something that is not what its API promises.
        public static var badResponse: Self { .init(.badResponse) }
        /// The source did not answer in time.
        public static var timeout: Self { .init(.timeout) }
        /// A download failed (connection lost, HTTP error).
        public static var downloadFailed: Self { .init(.downloadFailed) }
        /// A download ended early or does not decode.
        public static var truncated: Self { .init(.truncated) }
        /// An external tool (yt-dlp, ffmpeg) exited with an error; the message carries its stderr tail.
        public static var toolFailed: Self { .init(.toolFailed) }
        /// The source needs settings it does not have (an API key).
        public static var notConfigured: Self { .init(.notConfigured) }

        /// The media index (the cache folder's `index.sqlite`) cannot be opened, read or written.
        public static var indexUnavailable: Self { .init(.indexUnavailable) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file or URL at fault (API keys are never included).
    public var file: String
    /// What went wrong and what to do, on one line.
    public var message: String
    /// Whether this is an earlier failure remembered for the job (no request was sent this time).
    public var repeated: Bool

    /// Creates a footage error.
    public init(_ code: Code, file: String, message: String, repeated: Bool = false) {
        self.code = code
        self.file = file
        self.message = message
        self.repeated = repeated
    }

    /// The message, on one line.
    public var description: String { message }
}
