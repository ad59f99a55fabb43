/// Footage that a spec names cannot be used.
public struct FootageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable { case unreadableMedia, noPicture, emptyFolder }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// ffprobe cannot read the file (corrupt, truncated, or a format ffmpeg does not know).
        public static var unreadableMedia: Self { .init(.unreadableMedia) }
        /// The file has sound but no picture.
        public static var noPicture: Self { .init(.noPicture) }
        /// A folder named as media holds no media files.
        public static var emptyFolder: Self { .init(.emptyFolder) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file at fault.
    public var file: String
    /// What went wrong and what to do, on one line.
    public var message: String

    /// Creates a footage error.
    public init(_ code: Code, file: String, message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    /// The message, on one line.
    public var description: String { message }
}
