import Foundation

extension LanguageTag {
    /// The longest tag text read from a spec, a flag or a request (`zh-Hant-TW` is 10 characters).
    public static let maxLength = 35

    /// Reads a tag a user typed, for a front door (CLI flag, request field).
    /// - Throws: ``SpecError`` (`invalidValue`, field `language`) with ``problem(_:)`` as the message.
    public static func parse(_ text: String, file: String = "language") throws(SpecError) -> LanguageTag {
        guard text.count <= maxLength, let tag = LanguageTag(text) else {
            throw SpecError(.invalidValue, file: file, field: "language", message: problem(text))
        }
        return tag
    }

    /// The one-line message for text that is not a language tag: what was given and what to write.
    public static func problem(_ text: String) -> String {
        let shown = text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
        return "\"\(shown)\" is not a BCP 47 language tag; write a language and an optional region, such as pt-BR, es, ja or en-US"
    }
}
