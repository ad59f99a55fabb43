import Foundation
import GRDB

extension MediaIndex {
    /// The stored vector's bytes for `key`, or `nil` when there is none or the database cannot be read
    /// (a miss only costs a recomputation).
    func embedding(_ key: String) async -> Data? {
        try? await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT vector FROM embedding WHERE key = ?", arguments: [key])
        }
    }

    /// Which of `keys` have a stored vector; none when the database cannot be read.
    func embeddedKeys(among keys: [String]) async -> Set<String> {
        guard !keys.isEmpty else { return [] }
        let found = try? await pool.read { db in
            var found = Set<String>()
            // SQLite limits bound parameters per statement; 500 at a time stays well inside.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                try found.formUnion(String.fetchAll(db, sql: "SELECT key FROM embedding WHERE key IN (\(marks))", arguments: StatementArguments(chunk)))
            }
            return found
        }
        return found ?? []
    }

    /// Stores vectors' bytes by key, in one transaction; a failed write only costs a later recomputation.
    func storeEmbeddings(_ entries: [(key: String, vector: Data)]) async {
        guard !entries.isEmpty else { return }
        let rows = entries.map { EmbeddingRow(key: $0.key, vector: $0.vector) }
        _ = try? await pool.write { db in
            for row in rows { try row.upsert(db) }
        }
    }
}

/// One row of `embedding`: a unit vector as little-endian float32 bytes.
struct EmbeddingRow: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "embedding"
    var key: String
    var vector: Data
}
