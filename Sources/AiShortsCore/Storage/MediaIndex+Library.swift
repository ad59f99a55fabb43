public import Foundation
import GRDB

/// What one ``MediaIndex/refreshLibrary(folders:digests:)`` found and did.
public struct LibraryScan: Sendable, Hashable, Codable {
    /// Every media file under the folders now, sorted by path.
    public var files: [URL]
    /// Files seen for the first time (hashed).
    public var added: Int
    /// Files whose size or modification time changed since they were indexed (hashed again).
    public var changed: Int
    /// Files unchanged since they were indexed (not read at all).
    public var unchanged: Int
    /// Files indexed before that are gone now (their rows deleted).
    public var removed: Int
    /// Files that could not be read (skipped; they stay out of the library).
    public var unreadable: [String]

    /// Files hashed in this refresh.
    public var hashed: Int { added + changed }
}

extension MediaIndex {
    /// Brings the index of `folders` up to date and tells `digests` every file's SHA-256.
    ///
    /// Each media file (``LocalLibrary/mediaFiles(in:)``) is compared with its row by size and modification
    /// time: an unchanged file is not read; a new or changed one is hashed (two at once) and its row
    /// written. Rows of files under these folders that no longer exist are deleted (their embeddings stay,
    /// keyed by content, in case the file comes back under another name). Afterwards `digests` knows
    /// every file, so embeddings keyed by content are found without reading the files again.
    ///
    /// - Throws: ``FootageError`` (`indexUnavailable`) when the database cannot be read or written;
    ///   `CancellationError`. An unreadable file is not an error: it is listed in ``LibraryScan/unreadable``.
    public func refreshLibrary(folders: [URL], digests: FileDigests) async throws -> LibraryScan {
        let files = folders.flatMap(LocalLibrary.mediaFiles(in:)).reduce(into: [URL]()) { list, file in
            if !list.contains(file) { list.append(file) }
        }
        let known = try await indexed(under: folders)
        var scan = LibraryScan(files: [], added: 0, changed: 0, unchanged: 0, removed: 0, unreadable: [])
        var toHash: [(url: URL, stat: FileStat, isNew: Bool)] = []
        for file in files {
            guard let stat = FileStat(file) else {
                scan.unreadable.append(file.path)
                continue
            }
            if let row = known[file.path], row.size == stat.size, row.modified == stat.modified {
                await digests.remember(row.digest, for: file, size: stat.size, modified: stat.modified)
                scan.unchanged += 1
            } else {
                toHash.append((file, stat, known[file.path] == nil))
            }
        }
        let hashed = try await hash(toHash.map(\.url), digests: digests)
        var rows: [LibraryFileRecord] = []
        let now = Date().timeIntervalSince1970
        for (item, digest) in zip(toHash, hashed) {
            guard let digest else {
                scan.unreadable.append(item.url.path)
                continue
            }
            rows.append(LibraryFileRecord(path: item.url.path, size: item.stat.size, modified: item.stat.modified, digest: digest, indexedAt: now))
            if item.isNew { scan.added += 1 } else { scan.changed += 1 }
        }
        let present = Set(files.map(\.path))
        let gone = known.keys.filter { !present.contains($0) }
        scan.removed = gone.count
        try await writeLibrary(rows, deleting: gone)
        let unreadable = Set(scan.unreadable)
        scan.files = files.filter { !unreadable.contains($0.path) }
        return scan
    }

    /// The rows of files under any of `folders` (a folder given as a file stands for itself).
    func indexed(under folders: [URL]) async throws -> [String: LibraryFileRecord] {
        let prefixes = folders.map { $0.standardizedFileURL.path }
        do {
            let rows = try await pool.read { db in try LibraryFileRecord.fetchAll(db) }
            return rows.reduce(into: [:]) { result, row in
                if prefixes.contains(where: { row.path == $0 || row.path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) {
                    result[row.path] = row
                }
            }
        } catch {
            throw FootageError(.indexUnavailable, file: path.path, message: "cannot read the media index \(path.path) (\(error)); delete that file to rebuild it")
        }
    }

    private func writeLibrary(_ rows: [LibraryFileRecord], deleting gone: [String]) async throws {
        guard !rows.isEmpty || !gone.isEmpty else { return }
        do {
            try await pool.write { db in
                for row in rows { try row.upsert(db) }
                for path in gone { _ = try LibraryFileRecord.deleteOne(db, key: path) }
            }
        } catch {
            throw FootageError(.indexUnavailable, file: path.path, message: "cannot write the media index \(path.path) (\(error)); check the cache folder's free space and permissions")
        }
    }

    /// The files' digests, two files at once (hashing is disk-bound; more would only thrash); `nil` where
    /// a file cannot be read.
    private func hash(_ files: [URL], digests: FileDigests) async throws -> [String?] {
        var result = [String?](repeating: nil, count: files.count)
        try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var next = 0
            func start() {
                guard next < files.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try? await digests.sha256(of: files[index])) }
            }
            start()
            start()
            while let (index, digest) = try await group.next() {
                try Task.checkCancellation()
                result[index] = digest
                start()
            }
        }
        return result
    }
}

/// A file's size and modification time: what ``FileDigests`` and the index both compare to decide that
/// a file's contents are unchanged (one definition, so a digest the index tells the memo always matches).
struct FileStat: Sendable, Hashable {
    var size: Int
    var modified: Double

    /// The file's stat.
    /// - Throws: the file system's error when the file cannot be read.
    init(of file: URL) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        size = attributes[.size] as? Int ?? -1
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    /// The file's stat, or `nil` when it cannot be read.
    init?(_ file: URL) {
        guard let stat = try? FileStat(of: file) else { return nil }
        self = stat
    }
}
