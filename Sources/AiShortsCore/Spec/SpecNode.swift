import Foundation
import Yams

/// A YAML node with the field path that led to it, so every error can name the field and line.
struct SpecNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ code: SpecError.Code, _ message: String) -> SpecError {
        SpecError(code, file: file, line: line, field: path.isEmpty ? nil : path, message: message)
    }

    private func child(_ node: Node, _ component: String) -> SpecNode {
        let childPath = path.isEmpty ? component : (component.hasPrefix("[") ? path + component : path + "." + component)
        return SpecNode(node: node, path: childPath, file: file)
    }

    /// The mapping's fields, refusing any key not in `allowed`.
    func fields(allowed: [String]) throws(SpecError) -> [String: SpecNode] {
        guard let mapping = node.mapping else {
            throw error(.wrongType, "expected a mapping of fields (\(allowed.joined(separator: ", ")))")
        }
        var result: [String: SpecNode] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw error(.wrongType, "field names must be plain text")
            }
            guard allowed.contains(name) else {
                let keyNode = SpecNode(node: key, path: path, file: file)
                let hint = Self.closest(to: name, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
                throw keyNode.error(
                    .unknownField,
                    "unknown field \"\(name)\"; \(hint)allowed here: \(allowed.joined(separator: ", "))"
                )
            }
            result[name] = child(value, name)
        }
        return result
    }

    /// The items of a sequence; a single scalar counts as a one-item sequence when `allowScalar`.
    func items(allowScalar: Bool = false) throws(SpecError) -> [SpecNode] {
        if let sequence = node.sequence {
            return sequence.enumerated().map { child($0.element, "[\($0.offset)]") }
        }
        if allowScalar, node.scalar != nil { return [child(node, "[0]")] }
        throw error(.wrongType, "expected a list")
    }

    var isNull: Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func string() throws(SpecError) -> String {
        guard let scalar = node.scalar, !isNull else { throw error(.wrongType, "expected text") }
        return scalar.string
    }

    func nonEmptyString() throws(SpecError) -> String {
        let value = try string().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw error(.invalidValue, "must not be empty") }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(SpecError) -> Double {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.string) else {
            throw error(.wrongType, "expected a number")
        }
        guard range.contains(value) else {
            throw error(.invalidValue, "\(scalar.string) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func int(in range: ClosedRange<Int>) throws(SpecError) -> Int {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error(.wrongType, "expected a whole number")
        }
        guard range.contains(value) else {
            throw error(.invalidValue, "\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    func bool() throws(SpecError) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { throw error(.wrongType, "expected true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(.wrongType, "expected true or false")
        }
    }

    static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
