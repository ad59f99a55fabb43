/// Relevance scoring could not be set up or run: a missing or broken CLIP model, an unreadable tokenizer.
///
/// A picture that cannot be decoded is not an error: it gets no score. Messages are one line and
/// say what to do.
public struct RelevanceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case modelMissing, badModelFolder, badTokenizer, badModel, installFailed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No CLIP model is installed under the name asked for.
        public static var modelMissing: Self { .init(.modelMissing) }
        /// The folder is not a CLIP export (a file is missing, a config is unreadable).
        public static var badModelFolder: Self { .init(.badModelFolder) }
        /// The tokenizer file cannot be read or is not CLIP's.
        public static var badTokenizer: Self { .init(.badTokenizer) }
        /// An ONNX file loads but has not the inputs and outputs of a CLIP export, or gives wrong shapes.
        public static var badModel: Self { .init(.badModel) }
        /// Copying a model into the models folder failed.
        public static var installFailed: Self { .init(.installFailed) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, on one line.
    public var message: String
    /// The file or folder concerned, when there is one.
    public var path: String?

    /// Creates a relevance error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// The message, on one line.
    public var description: String { message }
}
