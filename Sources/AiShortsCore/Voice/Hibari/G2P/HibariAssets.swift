import CZlib
import Foundation

/// Reads hibari's asset files (plain or gzipped JSON) from the assets directory.
enum HibariAssets {
    /// The file's bytes, gunzipped when its name ends in `.gz`.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the file is missing or not valid gzip.
    static func bytes(_ name: String, in directory: URL) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VoiceError(.engineFailed, "hibari asset \(url.path) is missing; run make bootstrap")
        }
        let raw = [UInt8](data)
        guard name.hasSuffix(".gz") else { return raw }
        guard let inflated = gunzip(raw) else {
            throw VoiceError(.engineFailed, "hibari asset \(url.path) is not a valid gzip file; run make bootstrap")
        }
        return inflated
    }

    /// Parses a JSON asset with `body`, turning parse errors into one-line ``VoiceError``s.
    static func parse<T>(_ name: String, in directory: URL, _ body: (inout JSONScanner) throws -> T) throws -> T {
        let data = try bytes(name, in: directory)
        do {
            return try JSONScanner.scan(data, body)
        } catch let error as JSONScanError {
            throw VoiceError(
                .engineFailed,
                "hibari asset \(name) is corrupt (expected \(error.expected) at byte \(error.offset))"
            )
        }
    }

    /// Inflates a whole gzip member; nil when the data is not gzip or is truncated.
    static func gunzip(_ input: [UInt8]) -> [UInt8]? {
        guard input.count >= 18 else { return nil }
        // The trailer's ISIZE is the uncompressed size modulo 2^32: a good first guess for the buffer.
        let tail = input.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        var output = [UInt8](repeating: 0, count: max(tail, 1024))
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var produced = 0
        var status: Int32 = Z_OK
        var input = input
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while status == Z_OK {
                if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(target.count - produced)
                    status = inflate(&stream, Z_NO_FLUSH)
                    produced = target.count - Int(stream.avail_out)
                }
                // A full buffer is not an error: it grows on the next turn.
                if status == Z_BUF_ERROR && produced == output.count { status = Z_OK }
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(produced...)
        return output
    }
}
