import CZlib
import Foundation

/// Reads NumPy's `.npz` files: a zip archive of `.npy` arrays, as `numpy.savez` (stored) and
/// `numpy.savez_compressed` (deflated) write them, ZIP64 records included.
///
/// Only what voice packs need is supported: little-endian `float32` arrays in C order, of any shape.
/// The archive's central directory is read (not the local headers, whose sizes NumPy leaves out when
/// it streams), so entries are found the way `zipfile` finds them.
struct NumpyArchive: Sendable {
    /// One array: its shape and its elements in row-major order.
    struct Array: Sendable, Hashable {
        var shape: [Int]
        var values: [Float]
    }

    /// The arrays by name, without the `.npy` extension (`jf_alpha`).
    let arrays: [String: Array]

    /// Reads every array of the archive at `url`.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) naming the file and what is wrong with it.
    init(contentsOf url: URL) throws(VoiceError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VoiceError(.engineFailed, "cannot read \(url.path); check that the voice pack exists and is readable")
        }
        try self.init(bytes: [UInt8](data), name: url.lastPathComponent)
    }

    /// Reads every array of an archive held in memory; `name` is for messages.
    init(bytes: [UInt8], name: String) throws(VoiceError) {
        func fail(_ problem: String) -> VoiceError {
            VoiceError(.engineFailed, "\(name) is not a NumPy .npz voice pack (\(problem)); reinstall it")
        }
        let entries: [ZipDirectory.Entry]
        do { entries = try ZipDirectory(bytes).entries() } catch { throw VoiceError(.engineFailed, "\(name): \(error.message)") }
        var arrays: [String: Array] = [:]
        for entry in entries {
            guard entry.name.hasSuffix(".npy") else { continue }
            let raw: [UInt8]
            switch entry.method {
            case 0: raw = Swift.Array(bytes[entry.data])
            case 8:
                guard let inflated = Self.inflate(bytes[entry.data], size: entry.size) else { throw fail("\(entry.name) does not inflate") }
                raw = inflated
            default: throw fail("\(entry.name) uses compression method \(entry.method)")
            }
            guard raw.count == entry.size else { throw fail("\(entry.name) is truncated") }
            arrays[String(entry.name.dropLast(4))] = try Self.npy(raw, name: "\(name): \(entry.name)")
        }
        guard !arrays.isEmpty else { throw fail("no .npy inside") }
        self.arrays = arrays
    }

    /// Parses one `.npy` file: magic, version, a Python-dict header, then the raw elements.
    static func npy(_ bytes: [UInt8], name: String) throws(VoiceError) -> Array {
        func fail(_ problem: String) -> VoiceError { VoiceError(.engineFailed, "\(name) is not a float32 .npy array (\(problem)); reinstall the voice pack") }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY
        guard bytes.count >= 10, Swift.Array(bytes[0..<6]) == magic else { throw fail("no NumPy magic") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        let headerStart = 8 + lengthBytes
        guard bytes.count >= headerStart else { throw fail("truncated header") }
        let headerLength = bytes[8..<headerStart].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard bytes.count >= headerStart + headerLength else { throw fail("truncated header") }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        guard header.contains("'descr': '<f4'") || header.contains("'descr': '=f4'") else { throw fail("its type is not <f4") }
        guard !header.contains("'fortran_order': True") else { throw fail("Fortran order") }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw fail("no shape")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = headerStart + headerLength
        guard bytes.count - body == count * 4 else { throw fail("\(bytes.count - body) bytes for \(count) floats") }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[body...]))
            }
        }
        return Array(shape: shape, values: values.map { Float(bitPattern: $0.bitPattern.littleEndian) })
    }

    /// Inflates a raw deflate stream of known size; nil when it is corrupt.
    static func inflate(_ input: ArraySlice<UInt8>, size: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = Swift.Array(input)
        var status: Int32 = Z_OK
        var produced = 0
        input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                status = CZlib.inflate(&stream, Z_FINISH)
                produced = target.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END || (size == 0 && produced == 0) else { return nil }
        return Swift.Array(output.prefix(produced))
    }
}
