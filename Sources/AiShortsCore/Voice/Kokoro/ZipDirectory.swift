/// The central directory of a zip archive held in memory: each entry's name, compression method,
/// uncompressed size and where its data lies (ZIP64 sizes and offsets included).
///
/// Just enough of the format (APPNOTE.TXT, sections 4.3.12 to 4.3.16 and 4.5.3) to read NumPy's `.npz`
/// files; encryption, multi-disk archives and data descriptors are not supported.
struct ZipDirectory {
    /// One file in the archive.
    struct Entry: Sendable, Hashable {
        var name: String
        /// 0 (stored) or 8 (deflated); others are refused by the reader.
        var method: Int
        /// Bytes once inflated.
        var size: Int
        /// Where the (compressed) data is in the archive.
        var data: Range<Int>
    }

    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func integer(at offset: Int, _ width: Int) -> Int? {
        guard offset >= 0, offset + width <= bytes.count else { return nil }
        return bytes[offset..<offset + width].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private func fail(_ problem: String) -> VoiceError {
        VoiceError(.engineFailed, "not a zip archive NumPy wrote (\(problem)); reinstall the voice pack")
    }

    /// Every entry, in the directory's order.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the archive's records are missing or inconsistent.
    func entries() throws(VoiceError) -> [Entry] {
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
        let lowest = max(0, bytes.count - 22 - 65_535)
        guard let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: { integer(at: $0, 4) == 0x0605_4b50 }) else {
            throw fail("no end of central directory")
        }
        guard var count = integer(at: end + 10, 2), var start = integer(at: end + 16, 4) else { throw fail("short end record") }
        if count == 0xFFFF || start == 0xFFFF_FFFF {
            // ZIP64: the locator just before the end record points at the ZIP64 end record.
            guard integer(at: end - 20, 4) == 0x0706_4b50, let record = integer(at: end - 12, 8),
                  integer(at: record, 4) == 0x0606_4b50,
                  let count64 = integer(at: record + 32, 8), let start64 = integer(at: record + 48, 8) else {
                throw fail("bad ZIP64 end record")
            }
            count = count64
            start = start64
        }
        var entries: [Entry] = []
        var offset = start
        for _ in 0..<count {
            guard integer(at: offset, 4) == 0x0201_4b50, let method = integer(at: offset + 10, 2),
                  var compressed = integer(at: offset + 20, 4), var size = integer(at: offset + 24, 4),
                  let nameLength = integer(at: offset + 28, 2), let extraLength = integer(at: offset + 30, 2),
                  let commentLength = integer(at: offset + 32, 2), var local = integer(at: offset + 42, 4),
                  offset + 46 + nameLength + extraLength <= bytes.count else {
                throw fail("bad central directory entry")
            }
            let name = String(decoding: bytes[offset + 46..<offset + 46 + nameLength], as: UTF8.self)
            // ZIP64 extra field: the 8-byte values of exactly the fields that are 0xFFFFFFFF, in this order.
            var extra = offset + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd, let id = integer(at: extra, 2), let length = integer(at: extra + 2, 2) {
                if id == 0x0001 {
                    var field = extra + 4
                    func next() -> Int? { defer { field += 8 }; return integer(at: field, 8) }
                    if size == 0xFFFF_FFFF { size = next() ?? size }
                    if compressed == 0xFFFF_FFFF { compressed = next() ?? compressed }
                    if local == 0xFFFF_FFFF { local = next() ?? local }
                }
                extra += 4 + length
            }
            guard integer(at: local, 4) == 0x0403_4b50, let localName = integer(at: local + 26, 2),
                  let localExtra = integer(at: local + 28, 2) else {
                throw fail("bad local header for \(name)")
            }
            let dataStart = local + 30 + localName + localExtra
            guard dataStart + compressed <= bytes.count else { throw fail("\(name) runs past the end") }
            entries.append(Entry(name: name, method: method, size: size, data: dataStart..<dataStart + compressed))
            offset = extraEnd + commentLength
        }
        return entries
    }
}
