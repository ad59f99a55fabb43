@testable import AiShortsCore
import Foundation
import Testing

/// The `.npz` reader, against archives NumPy itself writes (stored and deflated), and the voice packs.
@Suite("NumpyArchive")
struct NumpyArchiveTests {
    static let python = Fixtures.packageRoot.appendingPathComponent(".deps/venv/bin/python")
    static let pack = Fixtures.packageRoot.appendingPathComponent(".deps/models/kokoro/voices_ja.npz")

    /// Writes `name` with NumPy: `a` (2×3, 0…5 / 4) and `b` (510×1×256, row i filled with i), stored or compressed.
    static func write(_ url: URL, compressed: Bool) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "no .deps/venv: run `make bootstrap`")
        let script = """
            import sys, numpy as np
            a = (np.arange(6, dtype=np.float32) / 4).reshape(2, 3)
            b = np.repeat(np.arange(510, dtype=np.float32), 256).reshape(510, 1, 256)
            (np.savez_compressed if sys.argv[2] == "1" else np.savez)(sys.argv[1], a=a, b=b)
            """
        let result = try await ToolRunner().run(Tool(name: "python", path: python.path), arguments: ["-c", script, url.path, compressed ? "1" : "0"])
        try #require(result.isSuccess, "numpy failed: \(result.lastError)")
    }

    @Test("stored and deflated archives give NumPy's arrays, shapes and values", arguments: [false, true])
    func numpyWritten(compressed: Bool) async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let url = fixtures.url("pack.npz")
        try await Self.write(url, compressed: compressed)
        let archive = try NumpyArchive(contentsOf: url)
        #expect(Set(archive.arrays.keys) == ["a", "b"])
        #expect(archive.arrays["a"] == NumpyArchive.Array(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25]))
        let b = try #require(archive.arrays["b"])
        #expect(b.shape == [510, 1, 256])
        #expect(b.values[256 * 7 + 100] == 7 && b.values.last == 509)
        // As a Kokoro voice pack: row n - 1 is the style for n phonemes, longer inputs take the last row.
        let styles = try KokoroVoice(name: "b", file: url).styles()
        #expect(styles.rows == 510)
        #expect(styles.style(forLength: 8) == [Float](repeating: 7, count: 256))
        #expect(styles.style(forLength: 2000).first == 509)
        #expect(KokoroVoice.names(in: url).sorted() == ["a", "b"])
    }

    @Test("the bootstrap's Japanese pack has its five voices, 510 styles of 256 each")
    func japanesePack() throws {
        try #require(FileManager.default.fileExists(atPath: Self.pack.path), "the Kokoro voices are not installed: run `make bootstrap`")
        let archive = try NumpyArchive(contentsOf: Self.pack)
        #expect(archive.arrays.keys.sorted() == ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"])
        for array in archive.arrays.values {
            #expect(array.shape == [510, 1, 256])
            #expect(array.values.allSatisfy { $0.isFinite })
        }
    }

    @Test("a raw .bin voice is read as float32 rows; broken files are refused with the file's name")
    func rawAndBroken() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let raw = fixtures.url("pf_test.bin")
        let values = (0..<(3 * 256)).map { Float($0 / 256) }
        try values.withUnsafeBytes { Data($0) }.write(to: raw)
        #expect(KokoroVoice.names(in: raw) == ["pf_test"])
        #expect(try KokoroVoice(name: "pf_test", file: raw).styles().style(forLength: 2) == [Float](repeating: 1, count: 256))

        let truncated = fixtures.url("broken.npz")
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 100)).write(to: truncated)
        #expect(KokoroVoice.names(in: truncated).isEmpty)
        do {
            _ = try NumpyArchive(contentsOf: truncated)
            Issue.record("a broken archive was read")
        } catch {
            #expect(error.code == .engineFailed)
            #expect(error.message.hasPrefix("broken.npz"))
        }
        let odd = fixtures.url("odd.bin")
        try Data(count: 1000).write(to: odd)
        #expect(KokoroVoice.names(in: odd).isEmpty)
        #expect(throws: VoiceError.self) { _ = try KokoroVoice(name: "odd", file: odd).styles() }
    }
}
