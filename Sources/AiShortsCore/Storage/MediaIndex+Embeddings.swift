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
