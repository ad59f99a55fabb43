@testable import AiShortsServer
import AiShortsCore
import Foundation
import Testing

@Suite("multipart uploads")
struct MultipartFileReaderTests {
    static func body(_ parts: [(headers: String, data: String)], boundary: String = "XyZ", close: Bool = true) -> [UInt8] {
        var text = "preamble to ignore\r\n"
        for part in parts { text += "--\(boundary)\r\n\(part.headers)\r\n\r\n\(part.data)\r\n" }
        if close { text += "--\(boundary)--\r\n" }
        return Array(text.utf8)
    }

    /// Feeds `bytes` in chunks of `size`; returns the file's bytes.
    static func read(_ bytes: [UInt8], chunk size: Int, boundary: String = "XyZ") throws -> (data: [UInt8], reader: MultipartFileReader) {
        var reader = MultipartFileReader(boundary: boundary)
        var data: [UInt8] = []
        var index = 0
        while index < bytes.count {
            try reader.feed(bytes[index..<min(index + size, bytes.count)]) { data += $0 }
            index += size
        }
        return (data, reader)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096]) func theFileSurvivesAnyChunking(size: Int) throws {
        // Partial boundaries, and a boundary not preceded by a line break, are data.
        let content = "line one\r\n-XyZ almost\r\n--Xy\r\nend --XyZ inline\r\n"
        let bytes = Self.body([
            ("Content-Disposition: form-data; name=\"note\"", "a field to skip"),
            ("Content-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\nContent-Type: video/mp4", content),
        ])
        let (data, reader) = try Self.read(bytes, chunk: size)
        #expect(String(decoding: data, as: UTF8.self) == content)
        #expect(reader.fileName == "clip.mp4")
        #expect(reader.isComplete)
    }

    @Test func nonASCIIHeadersAreRefusedNotACrash() {
        var bytes = Array("--XX\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\nhi\r\n--XX--\r\n".utf8)
        bytes.insert(contentsOf: Array("\r\n".utf8), at: 0)
        #expect(throws: JobError.self) { try Self.read(bytes, chunk: 5, boundary: "XX") }
    }

    @Test func aBodyCutShortIsNotComplete() throws {
        let bytes = Self.body([("Content-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"", "data")], close: false)
        let (_, reader) = try Self.read(bytes, chunk: 3)
        #expect(!reader.isComplete)
    }

    @Test func twoFilesAreRefused() {
        let part = (headers: "Content-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"", data: "data")
        #expect(throws: JobError.self) { try Self.read(Self.body([part, part]), chunk: 10) }
    }
}
