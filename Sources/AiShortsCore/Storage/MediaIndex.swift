public import Foundation
import GRDB

/// The SQLite index (GRDB) of the user's library files and of the CLIP embeddings of every picture scored.
///
/// One file, `index.sqlite` in the cache folder, opened in WAL mode: any number of jobs, in one process or
/// several, read it at once and write it one transaction at a time. It holds
/// - `libraryFile`: each library file's path, size, modification time and SHA-256, so a folder is hashed
///   once and later runs only compare sizes and times (see ``refreshLibrary(folders:digests:)``);
/// - `embedding`: unit-length vectors keyed by content (the model and the picture's SHA-256 and frame, or
///   the model and the text), so a library indexed once is never embedded again.
///
/// The index is a cache: deleting the file loses nothing but time. A value is cheap to copy and shares
/// its connection pool; close nothing, the pool closes when the last copy goes.
public struct MediaIndex: Sendable {
    /// The database file.
    public let path: URL
    let pool: DatabasePool

    /// The file name inside the cache folder.
    public static let fileName = "index.sqlite"

    /// Opens (and creates or upgrades) the index at `path`.
    ///
    /// - Throws: ``FootageError`` (`indexUnavailable`) naming the file when it cannot be created or is not
    ///   an index (then delete it, or point `AISHORTS_CACHE` elsewhere).
    public init(path: URL) throws(FootageError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            // Another job may hold the write lock for a moment; wait for it rather than fail.
            configuration.busyMode = .timeout(10)
            configuration.label = "aishorts.index"
            pool = try DatabasePool(path: path.path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw FootageError(.indexUnavailable, file: path.path,
                               message: "cannot open the media index \(path.path) (\(JobSpec.reason(error))); delete that file or set AISHORTS_CACHE to a writable folder")
        }
    }

    /// Opens the index that lives in `cache`'s folder.
    public init(in cache: DiskCache) throws(FootageError) {
        try self.init(path: cache.root.appendingPathComponent(Self.fileName))
    }

    /// The schema, one migration per version; GRDB records which ran.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "libraryFile") { table in
                table.primaryKey("path", .text)
                table.column("size", .integer).notNull()
                table.column("modified", .double).notNull()
                table.column("digest", .text).notNull()
                table.column("indexedAt", .double).notNull()
            }
            try db.create(table: "embedding") { table in
                table.primaryKey("key", .text)
                table.column("vector", .blob).notNull()
            }
        }
        return migrator
    }

    /// How many rows each table holds (`libraryFile`, `embedding`), for reports and tests.
    public func counts() async throws -> (files: Int, embeddings: Int) {
        try await pool.read { db in
            (try LibraryFileRecord.fetchCount(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embedding") ?? 0)
        }
    }
}

/// One row of `libraryFile`: what a file was when it was last hashed.
struct LibraryFileRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "libraryFile"
    /// The standardised absolute path.
    var path: String
    var size: Int
    /// Seconds since 1970 of the last modification.
    var modified: Double
    /// Hex SHA-256 of the contents.
    var digest: String
    /// When it was hashed (seconds since 1970).
    var indexedAt: Double
}
