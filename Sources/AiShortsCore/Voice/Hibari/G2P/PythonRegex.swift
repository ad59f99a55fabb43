import Foundation

/// A regular expression written in Python `re` syntax, run by ICU (`NSRegularExpression`) with Python's
/// Unicode classes.
///
/// ICU's `\w`, `\s` and `\b` differ from Python's (ICU counts combining marks as word characters and
/// leaves out `²`; its `\s` lacks U+001C–U+001F and U+0085), so the pattern is rewritten before it is
/// compiled: `\w` becomes `[\p{L}\p{N}_]` (checked against CPython for every code point), `\s` Python's
/// whitespace list, and `\b` a look-around pair over that `\w`.
struct PythonRegex: Sendable {
    private let regex: NSRegularExpression

    static let wordClass = #"\p{L}\p{N}_"#
    static let spaceClass =
        #"\t\n\x{0B}\f\r\x{1C}-\x{1F} \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"#

    /// Compiles `pattern`; a constant pattern that does not compile is a programmer error.
    init(_ pattern: String, caseInsensitive: Bool = false) {
        do {
            try self.init(checking: pattern, caseInsensitive: caseInsensitive)
        } catch {
            preconditionFailure("invalid regex \(pattern): \(error)")
        }
    }

    /// Compiles `pattern`, throwing when it is not valid.
    init(checking pattern: String, caseInsensitive: Bool = false) throws {
        regex = try NSRegularExpression(
            pattern: Self.translate(pattern),
            options: caseInsensitive ? [.caseInsensitive] : []
        )
    }

    /// `re.escape`: every ASCII character other than a letter, digit or `_` is escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII && !scalar.isASCIILetter && !scalar.isASCIIDigit && scalar != "_" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Rewrites Python's class escapes into ICU syntax (see the type's discussion).
    static func translate(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        var iterator = pattern.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\\":
                guard let escaped = iterator.next() else {
                    out += "\\"
                    continue
                }
                switch (escaped, inClass) {
                case ("w", false): out += "[\(wordClass)]"
                case ("W", false): out += "[^\(wordClass)]"
                case ("s", false): out += "[\(spaceClass)]"
                case ("S", false): out += "[^\(spaceClass)]"
                case ("b", false):
                    out += "(?:(?<=[\(wordClass)])(?![\(wordClass)])|(?<![\(wordClass)])(?=[\(wordClass)]))"
                case ("w", true): out += wordClass
                case ("W", true): out += "[^\(wordClass)]"
                case ("s", true): out += spaceClass
                case ("S", true): out += "[^\(spaceClass)]"
                default:
                    out += "\\"
                    out.unicodeScalars.append(escaped)
                }
            case "[" where !inClass:
                inClass = true
                out += "["
            case "]" where inClass:
                inClass = false
                out += "]"
            case "[" where inClass, "&" where inClass:
                // ICU gives these set-operation meanings inside a class; Python reads them literally.
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The first match in `text`.
    func firstMatch(in text: String) -> PythonMatch? {
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, range: range).map { PythonMatch(text: text, result: $0) }
    }

    /// All non-overlapping matches, left to right (`finditer`).
    func matches(in text: String) -> [PythonMatch] {
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).map { PythonMatch(text: text, result: $0) }
    }

    /// `re.sub(pattern, replacement, text)` with a function replacement.
    func sub(_ text: String, _ replacement: (PythonMatch) -> String) -> String {
        let found = matches(in: text)
        guard !found.isEmpty else { return text }
        let scalars = text.unicodeScalars
        var out = String.UnicodeScalarView()
        var cursor = scalars.startIndex
        for match in found {
            let range = match.range
            out.append(contentsOf: scalars[cursor..<range.lowerBound])
            out.append(contentsOf: replacement(match).unicodeScalars)
            cursor = range.upperBound
        }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }

    /// `re.sub(pattern, literal, text)` for a replacement without group references.
    func sub(_ text: String, literal: String) -> String {
        sub(text) { _ in literal }
    }
}

/// One match of a ``PythonRegex``: Python's `re.Match` for what hibari's code reads from it.
struct PythonMatch {
    /// The whole string that was searched (`m.string`).
    let text: String
    let result: NSTextCheckingResult

    /// The matched range (`m.start()`..<`m.end()`), on code point boundaries.
    ///
    /// Built from UTF-16 offsets directly: Foundation's `Range(_:in:)` rounds to grapheme clusters, which
    /// would swallow a combining mark that Python matches on its own.
    var range: Range<String.Index> { bounds(result.range) ?? text.startIndex..<text.startIndex }

    private func bounds(_ nsRange: NSRange) -> Range<String.Index>? {
        guard nsRange.location != NSNotFound else { return nil }
        let utf16 = text.utf16
        let start = utf16.index(utf16.startIndex, offsetBy: nsRange.location)
        return start..<utf16.index(start, offsetBy: nsRange.length)
    }

    /// `m.group(0)`.
    var whole: String { String(text.unicodeScalars[range]) }

    /// `m.group(n)`; nil when the group did not take part in the match.
    func group(_ number: Int) -> String? {
        bounds(result.range(at: number)).map { String(text.unicodeScalars[$0]) }
    }

    /// Whether the match runs to the end of the string (`m.end() == len(m.string)`).
    var endsText: Bool { range.upperBound == text.endIndex }

    /// The code point right after the match (`m.string[m.end()]`), if any.
    var nextScalar: Unicode.Scalar? {
        let end = range.upperBound
        return end < text.endIndex ? text.unicodeScalars[end] : nil
    }
}
