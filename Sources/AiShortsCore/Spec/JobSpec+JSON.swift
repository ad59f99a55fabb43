public import Foundation
import Yams

extension JobSpec {
    /// Fields whose values are always text, however they look: the spec reader reads them as raw text
    /// (`aspect: 9:16` unquoted, a title `2024`, a scene `yes`), so a YAML type guess would change them.
    static let textFields: Set<String> = [
        "title", "aspect", "language", "voice", "name", "voiceover", "audio", "words", "music", "file", "scenes", "text", "media",
        "queries", "local_queries", "library", "sources", "clip", "font", "transition", "path", "preset",
    ]

    /// A spec's YAML text as the equivalent JSON document (what `PUT /jobs/{id}/spec` takes back), so
    /// that a client without a YAML reader — the studio page — can edit its scenes as plain objects.
    ///
    /// Text fields stay text (``textFields``); other plain scalars become numbers, booleans or null
    /// when they read as one, as the spec reader would take them; quoted scalars are always text.
    /// - Throws: ``JobError`` `badRequest` (field `spec`) when the text is not YAML or not a mapping.
    public static func json(yaml: String) throws(JobError) -> Data {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw JobError.bad("spec", "not readable as YAML: \(error)")
        }
        guard let root, root.mapping != nil, let object = plain(root, field: nil) as? [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw JobError.bad("spec", "expected a mapping of fields at the top")
        }
        return data
    }

    /// A YAML node as a value `JSONSerialization` accepts; `field` is the key it sits under.
    private static func plain(_ node: Node, field: String?) -> Any {
        if let mapping = node.mapping {
            var result: [String: Any] = [:]
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "\(key)"
                result[name] = plain(value, field: name)
            }
            return result
        }
        if let sequence = node.sequence {
            return sequence.map { plain($0, field: field) }
        }
        guard let scalar = node.scalar else { return "\(node)" }
        let text = scalar.string
        if scalar.style != .plain || field.map(textFields.contains) == true { return text }
        switch text {
        case "", "~", "null", "Null", "NULL": return NSNull()
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: break
        }
        if let whole = Int(text) { return whole }
        if let number = Double(text), number.isFinite { return number }
        return text
    }
}
