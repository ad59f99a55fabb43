public import Foundation

/// Makes a manifest's shorts through a ``ShortsClient``: skips those already made from the same
/// request, submits the rest a few at a time, follows each, and puts each video in place.
///
/// An entry that fails does not stop the others. What was made is recorded in
/// ``stateFileName`` in the output folder (the request hash per output), so a rerun skips it; a
/// file edited in place changes the hash and is made again. Cancelling the run cancels its jobs.
public struct BatchRun: Sendable {
    /// The record of what was made, in the output folder.
    public static let stateFileName = ".aishorts-batch.json"

    /// Where an entry stands.
    public enum Status: Sendable, Hashable {
        /// Not submitted yet.
        case waiting
        /// Its video exists and was made from the same request.
        case skipped
        /// Submitted, waiting for a worker.
        case queued
        /// Being made: the stage and its progress.
        case running(stage: String, fraction: Double)
        /// Made and in place.
        case made
        /// Failed, with the one-line error.
        case failed(String)

        /// Whether the entry is done, one way or the other.
        public var isFinal: Bool {
            switch self {
            case .skipped, .made, .failed: true
            default: false
            }
        }
    }

    /// How the run went.
    public struct Summary: Sendable {
        /// Entries made now.
        public var made = 0
        /// Entries skipped (made before from the same request).
        public var skipped = 0
        /// Entries that failed, with their errors.
        public var failed: [(entry: BatchEntry, error: String)] = []
        /// Wall time of the run.
        public var seconds = 0.0
        /// Cache hits and misses over the shorts made, from their reports.
        public var cacheHits = 0
        /// Cache misses.
        public var cacheMisses = 0
        /// Whether every entry was made or skipped.
        public var succeeded: Bool { failed.isEmpty }
    }

    let manifest: BatchManifest
    let client: any ShortsClient
    let parallel: Int
    let onUpdate: @Sendable (Int, Status) -> Void

    /// Creates a run.
    /// - Parameters:
    ///   - parallel: entries submitted and followed at once (the workers decide what runs).
    ///   - onUpdate: told each time an entry's status changes.
    public init(manifest: BatchManifest, client: any ShortsClient, parallel: Int, onUpdate: @escaping @Sendable (Int, Status) -> Void = { _, _ in }) {
        self.manifest = manifest
        self.client = client
        self.parallel = max(1, parallel)
        self.onUpdate = onUpdate
    }

    /// Runs every entry; returns when all are done (or the task is cancelled).
    public func run() async -> Summary {
        let start = ContinuousClock.now
        let record = BatchRecord(entries: manifest.entries)
        var summary = Summary()
        var pending: [BatchEntry] = []
        for entry in manifest.entries {
            if await record.isMade(entry) {
                summary.skipped += 1
                onUpdate(entry.index, .skipped)
            } else {
                pending.append(entry)
            }
        }
        await withTaskGroup(of: (BatchEntry, Result<(hits: Int, misses: Int), BatchError>).self) { group in
            var next = pending.makeIterator()
            func submit(_ group: inout TaskGroup<(BatchEntry, Result<(hits: Int, misses: Int), BatchError>)>) {
                guard let entry = next.next() else { return }
                group.addTask { (entry, await self.make(entry, record: record)) }
            }
            for _ in 0..<parallel { submit(&group) }
            while let (entry, result) = await group.next() {
                switch result {
                case .success(let caches):
                    summary.made += 1
                    summary.cacheHits += caches.hits
                    summary.cacheMisses += caches.misses
                case .failure(let error):
                    summary.failed.append((entry, error.message))
                }
                if !Task.isCancelled { submit(&group) }
            }
        }
        summary.failed.sort { $0.entry.index < $1.entry.index }
        let elapsed = ContinuousClock.now - start
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return summary
    }

    /// Makes one entry: submit, follow, put the video in place, record it.
    private func make(_ entry: BatchEntry, record: BatchRecord) async -> Result<(hits: Int, misses: Int), BatchError> {
        func failed(_ message: String) -> Result<(hits: Int, misses: Int), BatchError> {
            onUpdate(entry.index, .failed(message))
            return .failure(BatchError(message, entry: entry.index, line: entry.line))
        }
        let id: String
        do {
            id = try JobSummary(json: try await client.create(entry.body, idempotencyKey: nil)).id
        } catch {
            return failed(Self.message(error))
        }
        onUpdate(entry.index, .queued)
        var stage = ""
        do {
            for try await event in client.follow(id, after: 0) {
                let fields = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]) ?? [:]
                switch event.kind {
                case .stageStarted:
                    stage = fields["stage"] as? String ?? stage
                    onUpdate(entry.index, .running(stage: stage, fraction: 0))
                case .stageProgress:
                    onUpdate(entry.index, .running(stage: stage, fraction: fields["fraction"] as? Double ?? 0))
                default: break
                }
            }
            try Task.checkCancellation()
            let job = try await client.job(id)
            let summary = try JobSummary(json: job)
            guard summary.state == .succeeded else { return failed(summary.error ?? "the job ended \(summary.state.rawValue)") }
            if let output = entry.output {
                try await client.download(id, to: output)
                await record.made(entry, job: id)
            }
            onUpdate(entry.index, .made)
            return .success(Self.caches(job))
        } catch is CancellationError {
            let client = client
            await Task { _ = try? await client.cancel(id) }.value
            return failed("cancelled")
        } catch {
            return failed(Self.message(error))
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? JobError { return error.message }
        if let error = error as? BatchError { return error.message }
        return String(describing: error).oneLine
    }

    /// Cache hits and misses from a job object's report.
    static func caches(_ job: Data) -> (hits: Int, misses: Int) {
        let object = (try? JSONSerialization.jsonObject(with: job)) as? [String: Any]
        let caches = (object?["report"] as? [String: Any])?["caches"] as? [String: [String: Any]] ?? [:]
        return caches.values.reduce((0, 0)) { ($0.0 + ($1["hits"] as? Int ?? 0), $0.1 + ($1["misses"] as? Int ?? 0)) }
    }
}

/// The record in each output folder of what was made from which request.
actor BatchRecord {
    private var folders: [URL: [String: [String: String]]] = [:]

    init(entries: [BatchEntry]) {
        for folder in Set(entries.compactMap { $0.output?.deletingLastPathComponent() }) {
            let file = folder.appendingPathComponent(BatchRun.stateFileName)
            let data = FileManager.default.contents(atPath: file.path) ?? Data()
            folders[folder] = ((try? JSONSerialization.jsonObject(with: data)) as? [String: [String: String]]) ?? [:]
        }
    }

    /// Whether the entry's video exists and was made from the same request.
    func isMade(_ entry: BatchEntry) -> Bool {
        guard let output = entry.output, FileManager.default.fileExists(atPath: output.path) else { return false }
        return folders[output.deletingLastPathComponent()]?[output.lastPathComponent]?["hash"] == entry.hash
    }

    /// Records a video made, writing the record whole under a temporary name, then renaming it.
    func made(_ entry: BatchEntry, job: String) {
        guard let output = entry.output else { return }
        let folder = output.deletingLastPathComponent()
        folders[folder, default: [:]][output.lastPathComponent] = ["hash": entry.hash, "job": job]
        let data = JSONSerialization.compact(folders[folder] ?? [:])
        try? data.write(to: folder.appendingPathComponent(BatchRun.stateFileName), options: .atomic)
    }
}
