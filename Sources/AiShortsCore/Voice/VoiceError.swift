/// Narration could not be made.
public struct VoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case engineMissing, engineFailed, unknownVoice, emptyText, badVoiceover, badTimings, installFailed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The engine's program is not installed.
        public static var engineMissing: Self { .init(.engineMissing) }
        /// The engine ran and failed.
        public static var engineFailed: Self { .init(.engineFailed) }
        /// The engine does not have the requested voice.
        public static var unknownVoice: Self { .init(.unknownVoice) }
        /// There is nothing to say.
        public static var emptyText: Self { .init(.emptyText) }
        /// A recorded voiceover cannot be used.
        public static var badVoiceover: Self { .init(.badVoiceover) }
        /// A word-timing file cannot be used.
        public static var badTimings: Self { .init(.badTimings) }
        /// A voice file cannot be installed.
        public static var installFailed: Self { .init(.installFailed) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, on one line.
    public var message: String
    /// The engine's stderr tail, when it ran.
    public var stderrTail: [String]

    /// Creates a voice error.
    public init(_ code: Code, _ message: String, stderrTail: [String] = []) {
        self.code = code
        self.message = message
        self.stderrTail = stderrTail
    }

    /// The message, on one line.
    public var description: String { message }
}
