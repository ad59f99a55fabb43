import AiShortsCore
import Foundation

/// Reads the one `file` field of a `multipart/form-data` body as it streams in.
///
/// Written for this server rather than taken from MultipartKit: MultipartKit 4.7.1's parser traps
/// (index out of range, the whole process down) on a header byte above 0x7F, which any client can
/// send. This reader accepts only what an upload needs: parts with ASCII headers of at most 8 KB,
/// exactly one part named `file`, other fields skipped, and a closing boundary.
struct MultipartFileReader {
    enum State {
        case preamble
        case headers
        case body(isFile: Bool)
        case done
    }

    private let delimiter: [UInt8]
    private var state = State.preamble
    private var pending: [UInt8] = []
    /// The file name the client gave, once the `file` part began.
    private(set) var fileName: String?
    /// How many parts named `file` there were.
    private(set) var files = 0

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first boundary may open the body without a line break before it.
        pending = Array("\r\n".utf8)
    }

    /// Whether the closing boundary was read.
    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Takes the next bytes; hands the file's bytes to `write` as soon as they are surely not part
    /// of a boundary.
    /// - Throws: ``JobError`` (`badRequest`, field `file` or `body`) for a malformed body.
    mutating func feed(_ bytes: some Collection<UInt8>, write: ([UInt8]) throws -> Void) throws {
        pending.append(contentsOf: bytes)
        while true {
            switch state {
            case .done:
                pending.removeAll()
                return
            case .preamble:
                guard let end = find(delimiter, in: pending) else {
                    // Keep only what could be the start of the first boundary.
                    if pending.count > delimiter.count { pending.removeFirst(pending.count - delimiter.count) }
                    return
                }
                pending.removeFirst(end + delimiter.count)
                guard try afterBoundary() else { return }
            case .headers:
                guard let end = find(Array("\r\n\r\n".utf8), in: pending) else {
                    guard pending.count <= 8192 else { throw JobError.bad("body", "a part's headers are longer than 8 KB") }
                    return
                }
                let block = Array(pending[..<end])
                pending.removeFirst(end + 4)
                guard block.allSatisfy({ $0 < 0x80 }) else { throw JobError.bad("body", "a part's headers are not plain ASCII") }
                let isFile = try readHeaders(String(decoding: block, as: UTF8.self))
                state = .body(isFile: isFile)
            case .body(let isFile):
                if let end = find(delimiter, in: pending) {
                    if isFile { try write(Array(pending[..<end])) }
                    pending.removeFirst(end + delimiter.count)
                    guard try afterBoundary() else { return }
                } else {
                    // Everything but a possible partial boundary at the end is the part's data.
                    let safe = pending.count - (delimiter.count - 1)
                    if safe > 0 {
                        if isFile { try write(Array(pending[..<safe])) }
                        pending.removeFirst(safe)
                    }
                    return
                }
            }
        }
    }

    /// After a boundary: `--` ends the body, a line break starts a part. `false` when more bytes are needed.
    private mutating func afterBoundary() throws -> Bool {
        guard pending.count >= 2 else {
            // Wait for the two bytes that say which; remember we are right after a boundary.
            pending.insert(contentsOf: delimiter, at: 0)
            state = .preamble
            return false
        }
        if pending[0] == UInt8(ascii: "-"), pending[1] == UInt8(ascii: "-") {
            state = .done
            return true
        }
        // Transport padding (spaces, tabs) may follow a boundary before its line break.
        while let first = pending.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { pending.removeFirst() }
        guard pending.count >= 2 else {
            pending.insert(contentsOf: delimiter, at: 0)
            state = .preamble
            return false
        }
        guard pending[0] == UInt8(ascii: "\r"), pending[1] == UInt8(ascii: "\n") else {
            throw JobError.bad("body", "not valid multipart/form-data (a boundary is not followed by a line break)")
        }
        pending.removeFirst(2)
        state = .headers
        return true
    }

    /// Reads a part's headers; whether it is the `file` field.
    private mutating func readHeaders(_ block: String) throws -> Bool {
        for line in block.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
            let value = String(line[line.index(after: colon)...])
            guard Self.parameter("name", in: value) == "file" else { return false }
            files += 1
            guard files == 1 else { throw JobError.bad("file", "send one file per upload") }
            fileName = Self.parameter("filename", in: value) ?? "upload"
            return true
        }
        return false
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
