/// Finds each complete scene object in a script's JSON while it is still streaming in.
///
/// Feed it text as it arrives; it returns the JSON of every object of the top-level `"scenes"` array
/// that has just closed, so narration of scene 1 can start while the model is still writing scene 4.
/// It tracks strings and escapes, so braces inside narration do not confuse it.
struct SceneScanner {
    private var bytes: [UInt8] = []
    private var position = 0
    private var inArray = false
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var objectStart: Int?
    private var finished = false

    mutating func feed(_ text: String) -> [String] {
        guard !finished else { return [] }
        bytes += Array(text.utf8)
        if !inArray {
            guard let open = arrayStart() else { return [] }
            inArray = true
            position = open + 1
        }
        var objects: [String] = []
        while position < bytes.count {
            let byte = bytes[position]
            defer { position += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"):
                if depth == 0 { objectStart = position }
                depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0, let start = objectStart {
                    objects.append(String(decoding: bytes[start...position], as: UTF8.self))
                    objectStart = nil
                }
            case UInt8(ascii: "]") where depth == 0:
                finished = true  // the array is over; the rest is not scenes
                return objects
            default:
                break
            }
        }
        return objects
    }

    /// Where the `"scenes"` key's array opens: the word followed by `:` and `[` (a string value that
    /// happens to read "scenes" is skipped).
    private func arrayStart() -> Int? {
        let needle = Array("\"scenes\"".utf8)
        guard bytes.count >= needle.count else { return nil }
        let blanks: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            var index = start + needle.count
            while index < bytes.count, blanks.contains(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
            index += 1
            while index < bytes.count, blanks.contains(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "[") { return index }
        }
        return nil
    }
}
