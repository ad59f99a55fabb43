/// A model could not be loaded or run.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case runtimeMissing, fileMissing, badModel, runFailed, overBudget
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// ONNX Runtime's library cannot be used (not installed, or too old for the API version).
        public static var runtimeMissing: Self { .init(.runtimeMissing) }
        /// The model file does not exist.
        public static var fileMissing: Self { .init(.fileMissing) }
        /// The file is not a model this engine can load (corrupt, truncated, wrong inputs).
        public static var badModel: Self { .init(.badModel) }
        /// The model was loaded but a run failed.
        public static var runFailed: Self { .init(.runFailed) }
        /// Loading it would exceed the memory budget and nothing could be released in time.
        public static var overBudget: Self { .init(.overBudget) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, on one line.
    public var message: String
    /// ONNX Runtime's own message, when it gave one.
    public var runtimeMessage: String?

    /// Creates a model error.
    public init(_ code: Code, _ message: String, runtimeMessage: String? = nil) {
        self.code = code
        self.message = message
        self.runtimeMessage = runtimeMessage
    }

    /// The message, on one line.
    public var description: String { message }
}
