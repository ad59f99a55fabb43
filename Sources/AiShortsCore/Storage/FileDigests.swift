public import Foundation
import Crypto

/// SHA-256 digests of files' contents, each file hashed once per process.
///
/// A digest is remembered under the file's path, size and modification time, so a file replaced
/// in place is hashed again. Hashing runs outside the actor, so several files are hashed at once;
/// two tasks asking for the same new file at the same moment may both hash it (harmless).
/// Create one per process (or server) and pass it to the engines that key caches by content.
public actor FileDigests {
    private struct Identity: Hashable {
        var path: String
        var size: Int
        var modified: Double
    }

    private var known: [Identity: String] = [:]
    /// How many files were actually read and hashed (not answered from memory).
    public private(set) var hashedFiles = 0

    /// Creates an empty memo.
    public init() {}

    /// The hex SHA-256 of the file's bytes.
    ///
    /// - Throws: the file system's error when the file cannot be read.
    public nonisolated func sha256(of file: URL) async throws -> String {
        let identity = try Self.identity(of: file)
        if let digest = await known(identity) { return digest }
        let digest = try Self.hash(file)
        await remember(digest, for: identity)
        return digest
    }

    /// The digest of `file` if it is already known (hashed or told by ``remember(_:for:size:modified:)``
    /// while the file had its current size and time); `nil` otherwise. Never reads the file.
    public nonisolated func knownSHA256(of file: URL) async -> String? {
        guard let identity = try? Self.identity(of: file) else { return nil }
        return await known(identity)
    }

    /// The file as the memo knows it: its path, size and modification time.
    private static func identity(of file: URL) throws -> Identity {
        let stat = try FileStat(of: file)
        return Identity(path: file.standardizedFileURL.path, size: stat.size, modified: stat.modified)
    }

    private func known(_ identity: Identity) -> String? { known[identity] }

    /// Tells the memo a digest computed earlier (the ``MediaIndex`` keeps them between runs), for the
    /// file as it was at `size` and `modified`; the file is then not read again while it stays so.
    public func remember(_ digest: String, for file: URL, size: Int, modified: Double) {
        store(digest, for: Identity(path: file.standardizedFileURL.path, size: size, modified: modified))
    }

    private func remember(_ digest: String, for identity: Identity) {
        hashedFiles += 1
        store(digest, for: identity)
    }

    private func store(_ digest: String, for identity: Identity) {
        // A long-running server sees many files; forgetting everything now and then bounds the memo.
        if known.count >= 100_000 { known.removeAll(keepingCapacity: true) }
        known[identity] = digest
    }

    /// Reads the file in 1 MiB pieces, so a large video is never held in memory whole.
    static func hash(_ file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
