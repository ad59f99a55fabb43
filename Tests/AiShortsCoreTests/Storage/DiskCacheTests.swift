import AiShortsCore
import Foundation
import Testing

/// A cache in a fresh temp folder, removed when the value is dropped.
private final class TempCache {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-cache-\(UUID().uuidString)")
    var cache: DiskCache { DiskCache(root: root) }
    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite struct DiskCacheTests {
    @Test func keyIsStableHexSHA256() {
        let key = DiskCache.key(["espeak:en-us@1.0", "Hello there."])
        #expect(key == DiskCache.key(["espeak:en-us@1.0", "Hello there."]))
        #expect(key.count == 64)
        #expect(key.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        // A known value pins the encoding (length-prefixed parts) so cached entries survive upgrades:
        // SHA-256 of "1:a1:b".
        #expect(DiskCache.key(["a", "b"]) == "facdde7abf1eac5b301273ab2e282f79bab0100f058833a7b8bdf9f80741e149")
        #expect(DiskCache.key([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func keysSeparateTheirParts() {
        #expect(DiskCache.key(["ab", "c"]) != DiskCache.key(["a", "bc"]))
        #expect(DiskCache.key(["a", ""]) != DiskCache.key(["a"]))
        #expect(DiskCache.key(["", "a"]) != DiskCache.key(["a", ""]))
        #expect(DiskCache.key(["a", "b"]) != DiskCache.key(["b", "a"]))
        #expect(DiskCache.key(["1:a"]) != DiskCache.key(["a"]))
        #expect(DiskCache.key(["x"]) != DiskCache.key(["y"]))
        #expect(DiskCache.key([]) != DiskCache.key([""]))
        // Lengths are counted in bytes, so multi-byte text cannot collide with its neighbour.
        #expect(DiskCache.key(["é", "a"]) != DiskCache.key(["é" + "a"]))
    }

    @Test func storeThenReadRoundTrips() throws {
        let temp = TempCache()
        let cache = temp.cache
        let key = DiskCache.key(["narration", "hello"])
        let bytes = Data((0..<1000).map { UInt8($0 % 251) })
        #expect(cache.data(namespace: "voice", key: key, extension: "wav") == nil)
        let url = try cache.store(bytes, namespace: "voice", key: key, extension: "wav")
        #expect(url == cache.url(namespace: "voice", key: key, extension: "wav"))
        #expect(url.path.hasPrefix(temp.root.path))
        #expect(url.lastPathComponent == "\(key).wav")
        #expect(url.deletingLastPathComponent().lastPathComponent == String(key.prefix(2)))
        #expect(url.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent == "voice")
        #expect(cache.data(namespace: "voice", key: key, extension: "wav") == bytes)
        // Other namespaces and extensions are separate entries.
        #expect(cache.data(namespace: "footage", key: key, extension: "wav") == nil)
        #expect(cache.data(namespace: "voice", key: key, extension: "json") == nil)
        // Storing again replaces the entry.
        try cache.store(Data("second".utf8), namespace: "voice", key: key, extension: "wav")
        #expect(cache.data(namespace: "voice", key: key, extension: "wav") == Data("second".utf8))
        // No temporary files are left beside the entry.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(siblings == ["\(key).wav"])
    }

    @Test func adoptMovesAFileIn() throws {
        let temp = TempCache()
        let cache = temp.cache
        let scratch = try cache.scratchDirectory()
        let file = scratch.appendingPathComponent("render.mp4")
        try Data("video bytes".utf8).write(to: file)
        let key = DiskCache.key(["render", "1"])
        let adopted = try cache.adopt(file, namespace: "renders", key: key, extension: "mp4")
        #expect(adopted == cache.url(namespace: "renders", key: key, extension: "mp4"))
        #expect(!FileManager.default.fileExists(atPath: file.path), "the source is moved, not copied")
        #expect(cache.data(namespace: "renders", key: key, extension: "mp4") == Data("video bytes".utf8))

        // Adopting over an existing entry replaces it (the last rename wins).
        let second = scratch.appendingPathComponent("render2.mp4")
        try Data("newer".utf8).write(to: second)
        try cache.adopt(second, namespace: "renders", key: key, extension: "mp4")
        #expect(cache.data(namespace: "renders", key: key, extension: "mp4") == Data("newer".utf8))
    }

    @Test func adoptingAMissingFileThrows() throws {
        let temp = TempCache()
        let missing = temp.root.appendingPathComponent("nothing-here.mp4")
        #expect(throws: (any Error).self) {
            try temp.cache.adopt(missing, namespace: "renders", key: DiskCache.key(["x"]), extension: "mp4")
        }
        #expect(temp.cache.data(namespace: "renders", key: DiskCache.key(["x"]), extension: "mp4") == nil)
    }

    @Test func scratchDirectoriesAreFreshAndInsideTheRoot() throws {
        let temp = TempCache()
        let a = try temp.cache.scratchDirectory()
        let b = try temp.cache.scratchDirectory()
        #expect(a != b)
        for directory in [a, b] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue)
            #expect(directory.path.hasPrefix(temp.root.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }
}
