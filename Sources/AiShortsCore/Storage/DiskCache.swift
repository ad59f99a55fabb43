public import Foundation
import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// A folder of files keyed by the SHA-256 of their inputs, shared safely by concurrent jobs.
///
/// Entries are written under a temporary name and renamed into place, so a reader sees either nothing
/// or a complete file; two jobs computing the same entry at once both succeed and one rename wins.
/// The cache never decides freshness: a key must name everything the content depends on.
public struct DiskCache: Sendable, Hashable {
    /// The cache's root folder.
    public var root: URL

    /// Creates a cache rooted at `root` (created on first store).
    public init(root: URL) {
        self.root = root
    }

    /// The default location: `$AISHORTS_CACHE`, else `$XDG_CACHE_HOME/aishorts`, else `~/.cache/aishorts`.
    public static var defaultRoot: URL {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["AISHORTS_CACHE"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("aishorts")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/aishorts")
    }

    /// A key: the hex SHA-256 of the parts, each length-prefixed so `["ab","c"]` and `["a","bc"]` differ.
    public static func key(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            let bytes = Array(part.utf8)
            hasher.update(data: Array(String(bytes.count).utf8) + [0x3A])
            hasher.update(data: bytes)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Where the entry for `key` with `extension` lives (it may not exist yet).
    public func url(namespace: String, key: String, extension ext: String) -> URL {
        root.appendingPathComponent(namespace).appendingPathComponent(String(key.prefix(2)))
            .appendingPathComponent("\(key).\(ext)")
    }

    /// The entry's bytes, or `nil` when absent or unreadable.
    public func data(namespace: String, key: String, extension ext: String) -> Data? {
        try? Data(contentsOf: url(namespace: namespace, key: key, extension: ext))
    }

    /// Stores bytes atomically and returns where they are.
    @discardableResult
    public func store(_ data: Data, namespace: String, key: String, extension ext: String) throws -> URL {
        let destination = url(namespace: namespace, key: key, extension: ext)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: destination, options: .atomic)
        return destination
    }

    /// Moves a finished file into the cache atomically and returns its new place.
    @discardableResult
    public func adopt(_ file: URL, namespace: String, key: String, extension ext: String) throws -> URL {
        let destination = url(namespace: namespace, key: key, extension: ext)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if rename(file.path, destination.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
        return destination
    }

    /// A fresh private folder for one job's intermediate files, named after this process so that
    /// ``sweepAbandonedScratch()`` can tell a killed job's folder from a running one's.
    public func scratchDirectory() throws -> URL {
        let directory = root.appendingPathComponent("work").appendingPathComponent("\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Removes the scratch folders of processes that no longer run (a killed render's leftovers);
    /// returns how many. Folders of live processes, this one included, are left alone.
    @discardableResult
    public func sweepAbandonedScratch() -> Int {
        let work = root.appendingPathComponent("work")
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [] {
            guard let dash = name.firstIndex(of: "-"), let pid = Int32(name[..<dash]) else { continue }
            // kill(pid, 0) delivers nothing: it only asks whether the process exists.
            if kill(pid, 0) != 0, errno == ESRCH, (try? FileManager.default.removeItem(at: work.appendingPathComponent(name))) != nil {
                removed += 1
            }
        }
        return removed
    }
}
