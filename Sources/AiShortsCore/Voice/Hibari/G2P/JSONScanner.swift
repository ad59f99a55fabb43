/// A JSON value with object keys kept in file order (hibari iterates some tables, such as the symbol
/// replacements, in the order Python's `json.load` gives them).
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var object: [(key: String, value: JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The first value under `key` in an object.
    subscript(key: String) -> JSONValue? {
        object?.first { $0.key == key }?.value
    }
}

/// The JSON was not what the loader expected.
struct JSONScanError: Error {
    var offset: Int
    var expected: String
}

/// A forward-only JSON reader over UTF-8 bytes, for the large tables (lexicons, tagger weights) that are
/// decoded straight into their final dictionaries without an intermediate tree.
///
/// - Important: it reads through an unsafe buffer; use it only inside ``JSONScanner/scan(_:_:)``.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` with a scanner over `data`; the scanner must not escape `body`.
    static func scan<T>(_ data: [UInt8], _ body: (inout JSONScanner) throws -> T) throws -> T {
        try data.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            let result = try body(&scanner)
            scanner.skipWhitespace()
            guard scanner.offset == buffer.count else { throw scanner.error("end of input") }
            return result
        }
    }

    func error(_ expected: String) -> JSONScanError {
        JSONScanError(offset: offset, expected: expected)
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next non-blank byte, not consumed.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw error("'\(Character(Unicode.Scalar(byte)))'") }
        offset += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    /// Reads `{ "key": value, ... }`, calling `member` with each key while the scanner sits on its value.
    mutating func readObject(_ member: (String, inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try member(key, &self)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads `[ value, ... ]`, calling `element` while the scanner sits on each element.
    mutating func readArray(_ element: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            try element(&self)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Reads `null` and returns true, or returns false without consuming anything.
    mutating func readNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), offset + 4 <= bytes.count, bytes[offset + 1] == UInt8(ascii: "u"),
            bytes[offset + 2] == UInt8(ascii: "l"), bytes[offset + 3] == UInt8(ascii: "l")
        else { return false }
        offset += 4
        return true
    }

    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            offset += 1
        }
        throw error("closing quote")
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard offset < bytes.count else { break }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800..<0xDC00).contains(code), offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                {
                    offset += 2
                    let low = try readHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        offset -= 6
                    }
                }
                // A lone surrogate cannot be a Swift scalar; U+FFFD stands in for it.
                out.append(contentsOf: String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
            default: out.append(escape)
            }
        }
        throw error("closing quote")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("4 hex digits") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw error("hex digit")
            }
            code = code * 16 + digit
            offset += 1
        }
        return code
    }

    /// Reads a number with the correctly rounded value Python's `float()` gives.
    mutating func readNumber() throws -> Double {
        skipWhitespace()
        let start = offset
        var negative = false
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") {
            negative = true
            offset += 1
        }
        while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) {
            mantissa = mantissa &* 10 &+ UInt64(bytes[offset] - 0x30)
            digits += 1
            offset += 1
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[offset] - 0x30)
                digits += 1
                scale += 1
                offset += 1
            }
        }
        var exponentPart = false
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            exponentPart = true
            offset += 1
            while offset < bytes.count,
                (0x30...0x39).contains(bytes[offset]) || bytes[offset] == 0x2B || bytes[offset] == 0x2D
            {
                offset += 1
            }
        }
        guard digits > 0 else { throw error("number") }
        // Exact integers below 2^53 divided by an exact power of ten round correctly (Clinger's fast path).
        if !exponentPart && digits <= 15 && scale <= 22 {
            let value = Double(mantissa) / Self.powersOfTen[scale]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text) else { throw error("number") }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Reads any value into a tree (for the small tables).
    mutating func readValue() throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"):
            var members: [(key: String, value: JSONValue)] = []
            try readObject { key, scanner in members.append((key, try scanner.readValue())) }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { scanner in elements.append(try scanner.readValue()) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try readWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readWord("null")
            return .null
        default:
            return .number(try readNumber())
        }
    }

    private mutating func readWord(_ word: String) throws {
        for byte in word.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else { throw error(word) }
            offset += 1
        }
    }
}
