import AiShortsCore
import Foundation
import Testing

/// The Python side of the CLIP tests: OpenAI's reference tokenizer and `scripts/make-tiny-clip.py`,
/// both from `make bootstrap` (`.deps/venv`, `.deps/reference/clip`).
enum TinyClip {
    static let root = Fixtures.packageRoot
    static let python = root.appendingPathComponent(".deps/venv/bin/python")
    static let reference = root.appendingPathComponent(".deps/reference/clip")
    static let vocabulary = reference.appendingPathComponent("bpe_simple_vocab_16e6.txt.gz")
    static let script = root.appendingPathComponent("scripts/make-tiny-clip.py")

    /// Fails (does not skip) when the bootstrap has not put the reference in place.
    static func requireReference() throws {
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "the CLIP tests need \(python.path): run `make bootstrap`")
        try #require(FileManager.default.fileExists(atPath: reference.appendingPathComponent("simple_tokenizer.py").path)
                     && FileManager.default.fileExists(atPath: vocabulary.path),
                     "the CLIP tests need OpenAI's tokenizer in \(reference.path): run `make bootstrap`")
    }

    /// Runs Python from the venv; fails the test with its stderr when it fails.
    @discardableResult
    static func python(_ arguments: [String]) async throws -> ToolResult {
        try requireReference()
        let result = try await ToolRunner(keptStderrLines: 40).run(Tool(name: "python", path: python.path), arguments: arguments)
        try #require(result.isSuccess, "python failed (\(result.status); run `make bootstrap`?):\n\(result.stderrTail.joined(separator: "\n"))")
        return result
    }

    /// A tiny CLIP export made once and kept in the temporary folder under a key of the script, the
    /// vocabulary and `options`, for tests that only read it (making one costs a Python start).
    static func shared(_ options: [String] = []) async throws -> ClipModel {
        try requireReference()
        let script = try Data(contentsOf: script)
        let key = DiskCache.key([String(decoding: script, as: UTF8.self), vocabulary.path] + options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-tiny-clip-\(key.prefix(16))")
        if let model = try? ClipModel(folder: folder) { return model }
        // Made under a private name and renamed: concurrent tests may race; one rename wins.
        let partial = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-tiny-clip-\(UUID().uuidString)")
        try await make(partial, options)
        if rename(partial.path, folder.path) != 0 { try? FileManager.default.removeItem(at: partial) }
        return try ClipModel(folder: folder)
    }

    /// A tiny CLIP export in `folder` (see scripts/make-tiny-clip.py for the options).
    @discardableResult
    static func make(_ folder: URL, _ options: [String] = []) async throws -> URL {
        try await python([script.path, folder.path] + options)
        return folder
    }
}
