import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL queue's tables, as numbered migrations applied once each, in order.
///
/// Every migration needs only the rights of the database's owner (tables and indexes in its default
/// schema), never a superuser. Nodes starting together take a transaction-scoped advisory lock, so
/// one applies what is missing and the others find it done. A database migrated by a newer AiShorts
/// (a version this one does not know) is refused rather than misread.
enum PostgresSchema {
    /// The advisory lock's key: any constant, the same in every AiShorts.
    static let lockKey = 7_251_880_018

    /// The migrations, version 1 first; append only, never edit a released one.
    static let migrations: [(version: Int, statements: [PostgresQuery])] = [
        (1, [
            """
            CREATE TABLE aishorts_job (
                id text PRIMARY KEY,
                position bigserial NOT NULL UNIQUE,
                state text NOT NULL,
                request text NOT NULL,
                spec text,
                title text,
                stage text,
                fraction double precision NOT NULL DEFAULT 0,
                eta_seconds double precision,
                attempts integer NOT NULL DEFAULT 0,
                created_at double precision NOT NULL,
                started_at double precision,
                finished_at double precision,
                error text,
                report text,
                idempotency_key text UNIQUE,
                not_before double precision,
                worker text,
                lease_expires double precision,
                cancel_requested boolean NOT NULL DEFAULT false,
                expected_memory bigint NOT NULL,
                event_count integer NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX aishorts_job_claim ON aishorts_job (state, position)",
            """
            CREATE TABLE aishorts_event (
                job text NOT NULL REFERENCES aishorts_job (id) ON DELETE CASCADE,
                sequence integer NOT NULL,
                kind text NOT NULL,
                data text NOT NULL,
                time double precision NOT NULL,
                PRIMARY KEY (job, sequence)
            )
            """,
            """
            CREATE TABLE aishorts_attempt (
                job text NOT NULL REFERENCES aishorts_job (id) ON DELETE CASCADE,
                number integer NOT NULL,
                worker text NOT NULL,
                started_at double precision NOT NULL,
                finished_at double precision,
                outcome text,
                PRIMARY KEY (job, number)
            )
            """,
        ]),
        (2, [
            // Worker processes say they are alive here, for `aishorts queue status`.
            """
            CREATE TABLE aishorts_worker (
                id text PRIMARY KEY,
                host text NOT NULL,
                pid integer NOT NULL,
                jobs integer NOT NULL,
                started_at double precision NOT NULL,
                last_seen double precision NOT NULL
            )
            """,
        ]),
    ]

    /// The newest version this AiShorts knows.
    static var latest: Int { migrations.last?.version ?? 0 }

    /// Applies the missing migrations in one transaction; returns the versions applied.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS aishorts_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var current = 0
            for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM aishorts_schema", logger: logger)
                .decode(Int.self) {
                current = version
            }
            guard current <= latest else {
                throw JobError(.storage, "the queue's database is at schema version \(current), newer than this AiShorts knows (\(latest)); upgrade AiShorts on this machine")
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements { try await connection.query(statement, logger: logger) }
                try await connection.query("INSERT INTO aishorts_schema (version) VALUES (\(migration.version))", logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }
}
