import Foundation

/// A script could not be written by the language model.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case notConfigured, badTopic, unauthorized, rejected, rateLimited, serverError, timeout, unreachable
            case noChoices, invalidAnswer
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No provider, base URL or key is configured.
        public static var notConfigured: Self { .init(.notConfigured) }
        /// The topic is empty or too long.
        public static var badTopic: Self { .init(.badTopic) }
        /// The provider refused the key (401/403); not retried.
        public static var unauthorized: Self { .init(.unauthorized) }
        /// The provider refused the request, often the model name (400/404/422); not retried.
        public static var rejected: Self { .init(.rejected) }
        /// Still rate-limited (429) after every attempt.
        public static var rateLimited: Self { .init(.rateLimited) }
        /// The provider kept failing (5xx) after every attempt.
        public static var serverError: Self { .init(.serverError) }
        /// No complete answer within the time allowed.
        public static var timeout: Self { .init(.timeout) }
        /// The provider could not be reached.
        public static var unreachable: Self { .init(.unreachable) }
        /// The response held no choices.
        public static var noChoices: Self { .init(.noChoices) }
        /// The answer was not a usable script, even after one repair request.
        public static var invalidAnswer: Self { .init(.invalidAnswer) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, on one line.
    public var message: String

    /// Creates a script error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, on one line.
    public var description: String { message.replacingOccurrences(of: "\n", with: " ") }
}
