import Foundation

extension String {
    /// The text on one line: every line break and other control character becomes a space.
    ///
    /// Works on Unicode scalars, not characters: a line break fused with what follows it into one
    /// grapheme (`\n` then a combining mark) is still found.
    public var oneLine: String {
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            scalars.append(CharacterSet.controlCharacters.contains(scalar) || CharacterSet.newlines.contains(scalar) ? " " : scalar)
        }
        return String(scalars)
    }
}
