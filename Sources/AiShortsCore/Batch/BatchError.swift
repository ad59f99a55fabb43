/// A manifest that cannot run, or a batch that cannot go on: one line naming the entry, its line in
/// the manifest and the field at fault.
public struct BatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String
    /// The entry (0-based), when one is at fault.
    public var entry: Int?
    /// Its line in the manifest (1-based), when known.
    public var line: Int?
    /// The field at fault.
    public var field: String?

    /// Creates an error.
    public init(_ message: String, entry: Int? = nil, line: Int? = nil, field: String? = nil) {
        self.message = message.oneLine
        self.entry = entry
        self.line = line
        self.field = field
    }

    /// `short 3 (line 12): duration: must be 10 to 180 seconds`.
    public var description: String {
        var place: [String] = []
        if let entry { place.append("short \(entry + 1)") }
        if let line, line > 0 { place.append(entry == nil ? "line \(line)" : "(line \(line))") }
        return place.isEmpty ? message : "\(place.joined(separator: " ")): \(message)"
    }
}
