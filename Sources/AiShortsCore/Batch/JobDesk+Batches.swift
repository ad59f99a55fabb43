public import Foundation

/// A batch on the server: the jobs one manifest made, in its order.
public struct StoredBatch: Sendable, Codable, Hashable {
    /// One entry's job.
    public struct Entry: Sendable, Codable, Hashable {
        /// Its place in the manifest (0-based).
        public var index: Int
        /// Its line in the manifest.
        public var line: Int
        /// A short name (title or source).
        public var label: String
        /// The job.
        public var job: String
    }

    /// The batch's identifier (a lower-case UUID).
    public var id: String
    /// When it was made.
    public var createdAt: Date
    /// Its jobs.
    public var entries: [Entry]
}

extension JobDesk {
    /// The largest batch, in shorts.
    public static let maxBatchEntries = 200

    /// Checks every entry of a manifest, then queues them all; nothing is queued when one is wrong
    /// or the queue cannot take them all.
    /// - Throws: ``JobError``: `badRequest` naming `shorts[N].field` (and its line), `queueFull`.
    public func createBatch(_ manifest: BatchManifest, now: Date = Date()) async throws -> StoredBatch {
        guard manifest.entries.count <= Self.maxBatchEntries else {
            throw JobError.bad("shorts", "\(manifest.entries.count) shorts; a batch holds at most \(Self.maxBatchEntries)")
        }
        var requests: [JobRequest] = []
        for entry in manifest.entries {
            do {
                let request = try JobRequest.parse(json: entry.body)
                try await check(request)
                requests.append(request)
            } catch let error as JobError {
                let field = "shorts[\(entry.index)]" + (error.field.map { ".\($0)" } ?? "")
                throw JobError(error.code, "short \(entry.index + 1) (line \(entry.line)): \(error.message)", field: field)
            }
        }
        let waiting = try await queue.counts()[.queued] ?? 0
        guard waiting + requests.count <= limits.maxQueued else {
            throw JobError(.queueFull, "the queue has room for \(max(0, limits.maxQueued - waiting)) more jobs, the batch has \(requests.count); try again later or send a smaller batch")
        }
        var entries: [StoredBatch.Entry] = []
        for (entry, request) in zip(manifest.entries, requests) {
            let job = try await create(request, idempotencyKey: nil, now: now).job
            entries.append(.init(index: entry.index, line: entry.line, label: request.title ?? entry.label, job: job.id))
        }
        let batch = StoredBatch(id: UUID().uuidString.lowercased(), createdAt: now, entries: entries)
        try folders.save(batch)
        return batch
    }

    /// A batch made earlier.
    /// - Throws: ``JobError`` `notFound`.
    public func batch(_ id: String) throws -> StoredBatch {
        guard Self.isJobID(id), let data = FileManager.default.contents(atPath: folders.batch(id).path),
              let batch = try? JSONDecoder.iso.decode(StoredBatch.self, from: data) else {
            throw JobError(.notFound, "no batch \(id.prefix(80))")
        }
        return batch
    }

    /// The batch object clients see: its jobs (the job objects), counts by state, and its state:
    /// `running` until every job has ended, then `succeeded` when all did, else `failed`.
    public func batchObject(_ batch: StoredBatch) async throws -> [String: Any] {
        var counts: [String: Int] = [:]
        var jobs: [[String: Any]] = []
        var ended = true
        var allSucceeded = true
        for entry in batch.entries {
            let job = try await queue.job(entry.job)
            let state = job?.state.rawValue ?? "deleted"
            counts[state, default: 0] += 1
            if let job, !job.state.isTerminal { ended = false }
            if job?.state != .succeeded { allSucceeded = false }
            jobs.append(["index": entry.index, "line": entry.line, "label": entry.label, "job": job?.apiObject ?? NSNull()])
        }
        return [
            "id": batch.id,
            "created_at": JobRecord.apiDate(batch.createdAt),
            "state": !ended ? "running" : (allSucceeded ? "succeeded" : "failed"),
            "counts": counts,
            "jobs": jobs,
            "links": ["self": "/api/v1/batches/\(batch.id)"],
        ]
    }
}

extension DataFolders {
    /// Where batches are recorded.
    public var batches: URL { root.appendingPathComponent("batches", isDirectory: true) }
    /// One batch's record.
    public func batch(_ id: String) -> URL { batches.appendingPathComponent("\(id).json") }

    /// Writes a batch's record whole under a temporary name, then renames it into place.
    func save(_ batch: StoredBatch) throws {
        do {
            try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
            try JSONEncoder.iso.encode(batch).write(to: self.batch(batch.id), options: .atomic)
        } catch {
            throw JobError(.storage, "cannot record the batch in \(batches.path): \(error.localizedDescription)")
        }
    }
}

extension JSONEncoder {
    static var iso: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
