import Foundation

/// A request to the job queue that cannot be carried out, with the field at fault when there is one.
///
/// Its ``description`` is the one line a client sees, the same a command prints.
public struct JobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is; a server maps each to one HTTP status.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case badRequest, notFound, wrongState, queueFull, tooLarge, shuttingDown, conflict, storage, unavailable
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request is malformed or names something it may not (400).
        public static var badRequest: Self { .init(.badRequest) }
        /// No such job or upload (404).
        public static var notFound: Self { .init(.notFound) }
        /// The job is not in a state that allows this (409).
        public static var wrongState: Self { .init(.wrongState) }
        /// Too many jobs are waiting (429).
        public static var queueFull: Self { .init(.queueFull) }
        /// A body, upload or text over its limit (413).
        public static var tooLarge: Self { .init(.tooLarge) }
        /// The server is stopping and takes no new work (503).
        public static var shuttingDown: Self { .init(.shuttingDown) }
        /// The same idempotency key was used for a different request (409).
        public static var conflict: Self { .init(.conflict) }
        /// The queue's database failed (500).
        public static var storage: Self { .init(.storage) }
        /// The queue's database cannot be reached for now (503): the server retries by itself.
        public static var unavailable: Self { .init(.unavailable) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What is wrong and what to do, on one line.
    public var message: String
    /// The request field at fault (`topic`, `spec.scenes[1].media[0]`), when there is one.
    public var field: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message.oneLine
        self.field = field
    }

    /// The message.
    public var description: String { message }

    /// A bad request about `field`.
    public static func bad(_ field: String, _ message: String) -> JobError {
        JobError(.badRequest, "\(field): \(message)", field: field)
    }

    /// A spec problem as a bad request naming the spec's field.
    public init(spec error: SpecError) {
        self.init(.badRequest, error.description, field: error.field.map { "spec.\($0)" } ?? "spec")
    }
}
