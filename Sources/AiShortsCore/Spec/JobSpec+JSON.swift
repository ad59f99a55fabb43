public import Foundation
import Yams

extension JobSpec {
    /// A spec's YAML text as the equivalent JSON document (what `PUT /jobs/{id}/spec` takes back), so
    /// that a client without a YAML reader — the studio page — can edit its scenes as plain objects.
    ///
    /// Only what JSON can say comes through: mappings with text keys, lists, text, numbers, booleans
    /// and null; a YAML timestamp or binary value (no spec field takes one) becomes its text.
    /// - Throws: ``JobError`` `badRequest` (field `spec`) when the text is not YAML or not a mapping.
    public static func json(yaml: String) throws(JobError) -> Data {
        let value: Any?
        do {
            value = try Yams.load(yaml: yaml)
        } catch {
            throw JobError.bad("spec", "not readable as YAML: \(error)")
        }
        guard let mapping = value.map(plain) as? [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: mapping, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw JobError.bad("spec", "expected a mapping of fields at the top")
        }
        return data
    }

    /// A value Yams read, as one `JSONSerialization` accepts.
    private static func plain(_ value: Any) -> Any {
        switch value {
        case let mapping as [AnyHashable: Any]:
            var result: [String: Any] = [:]
            for (key, item) in mapping { result["\(key.base)"] = plain(item) }
            return result
        case let mapping as [String: Any]:
            return mapping.mapValues(plain)
        case let list as [Any]:
            return list.map(plain)
        case is String, is Bool, is Int, is NSNull:
            return value
        case let number as Double:
            return number.isFinite ? number : "\(number)"
        case let date as Date:
            return Date.ISO8601FormatStyle().format(date)
        default:
            return "\(value)"
        }
    }
}
