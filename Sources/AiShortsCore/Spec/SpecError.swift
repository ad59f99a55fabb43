import Foundation

/// A job spec that cannot be used, with the field and line at fault.
///
/// Its ``description`` is the one line a user sees: `space.yaml:12: scenes[1].media[0]: no such file
/// "rokcet.jpg" (paths are relative to the spec file)`.
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case unreadable, invalidYAML, unknownField, wrongType, missingField, invalidValue, missingFile, emptyScript, forbiddenPath
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The spec or script file cannot be read.
        public static var unreadable: Self { .init(.unreadable) }
        /// The text is not valid YAML.
        public static var invalidYAML: Self { .init(.invalidYAML) }
        /// A field the spec format does not have (often a typo).
        public static var unknownField: Self { .init(.unknownField) }
        /// A field whose value has the wrong type.
        public static var wrongType: Self { .init(.wrongType) }
        /// A required field is absent.
        public static var missingField: Self { .init(.missingField) }
        /// A value outside what is allowed.
        public static var invalidValue: Self { .init(.invalidValue) }
        /// A file the spec names does not exist.
        public static var missingFile: Self { .init(.missingFile) }
        /// A script with no narration text.
        public static var emptyScript: Self { .init(.emptyScript) }
        /// A path outside the folders a server lets a client name.
        public static var forbiddenPath: Self { .init(.forbiddenPath) }

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// The spec file's path (absolute once loaded from disk).
    public var file: String
    /// The 1-based line of the offending value, when known.
    public var line: Int?
    /// The field path, such as `scenes[1].media[0]`.
    public var field: String?
    /// What is wrong and what to do.
    public var message: String

    /// Creates a spec error.
    public init(_ code: Code, file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`, on one line.
    /// Line breaks inside quoted user text are shown as `\n`, so the message stays on one line.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        let text = field.map { "\(location): \($0): \(message)" } ?? "\(location): \(message)"
        return text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
