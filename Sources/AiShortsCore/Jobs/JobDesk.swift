public import Foundation

/// What a client may do with jobs, for every front door (REST, MCP, a batch): create, look, follow,
/// edit, render, retry, cancel, delete. It checks a request fully before anything is queued, so a
/// bad spec is a `badRequest` at once, not a failed job later.
public struct JobDesk: Sendable {
    /// Limits on what clients may ask.
    public struct Limits: Sendable {
        /// Jobs that may wait in the queue; beyond, `queueFull`.
        public var maxQueued: Int

        /// Whether jobs may carry a `callback_url` (the server has a webhook secret to sign with).
        public var webhooks = false
        /// Whether callbacks may go to loopback, private and link-local addresses.
        public var allowPrivateCallbacks = false

        /// Creates limits.
        public init(maxQueued: Int = 100, webhooks: Bool = false, allowPrivateCallbacks: Bool = false) {
            self.maxQueued = maxQueued
            self.webhooks = webhooks
            self.allowPrivateCallbacks = allowPrivateCallbacks
        }
    }

    /// The queue.
    public let queue: any JobQueue
    /// The workers (in this process), told about new and cancelled jobs; `nil` for an API-only node.
    public let runner: JobRunner?
    /// The server's files.
    public let folders: DataFolders
    /// The folders a spec may name besides its uploads.
    public let libraries: [URL]
    /// The limits.
    public let limits: Limits
    /// Whether an LLM is configured (topic and category jobs need one).
    public let canWrite: @Sendable () -> String?
    /// Told when a cancel here ends a job that was not running (a running one ends in its worker).
    public var onTerminal: @Sendable (String, JobState) -> Void = { _, _ in }

    /// Creates a desk.
    /// - Parameter canWrite: `nil` when an LLM is configured, else the one-line reason it is not.
    public init(queue: any JobQueue, runner: JobRunner?, folders: DataFolders, libraries: [URL], limits: Limits,
                canWrite: @escaping @Sendable () -> String?) {
        self.queue = queue
        self.runner = runner
        self.folders = folders
        self.libraries = libraries
        self.limits = limits
        self.canWrite = canWrite
    }

    var paths: SpecPaths { .confined(base: folders.uploads, uploads: folders.uploads, roots: libraries) }

    /// The memory a job is expected to need at its peak: the composer's measured peak at 1080x1920
    /// (about 450 MB of process tree), scaled by the frame's size, plus each crossfade's frames.
    public static func expectedMemory(_ spec: JobSpec?) -> Int {
        let base = 450 << 20
        guard let spec else { return base }
        let scale = Double(spec.aspect.width * spec.aspect.height) / Double(1080 * 1920)
        var bytes = Int(Double(base) * max(0.5, scale))
        if case .crossfade = spec.transition { bytes += (85 << 20) * max(0, spec.scenes.count - 1) }
        return bytes
    }

    /// Checks a request as ``create(_:idempotencyKey:now:)`` would, queueing nothing; returns the
    /// resolved spec when the request carries one (a topic's is written later).
    /// - Throws: ``JobError`` `badRequest` naming the field.
    @discardableResult
    public func check(_ request: JobRequest) async throws -> JobSpec? {
        let spec = try request.initialSpec()
        if let callback = request.callbackURL {
            guard limits.webhooks else {
                throw JobError.bad("callback_url", "this server has no webhook secret to sign callbacks with; start it with --webhook-secret-file FILE (or AISHORTS_WEBHOOK_SECRET)")
            }
            try await CallbackURL.checkReachable(try CallbackURL.parse(callback), allowPrivate: limits.allowPrivateCallbacks)
        }
        if let spec {
            return try checkVoice(request.resolve(specText: spec, paths: paths, output: folders.jobs.appendingPathComponent("check.mp4")))
        }
        if let reason = canWrite() { throw JobError(.badRequest, reason, field: request.sourceField) }
        // Options are checked against a stand-in scene: the LLM writes the real ones.
        try checkVoice(request.resolve(specText: "title: check\nscenes: [check]\n", paths: paths, output: folders.jobs.appendingPathComponent("check.mp4")))
        return nil
    }

    /// The voices jobs are narrated with: the workers' catalog, or (on a node without workers) the
    /// standard one, which knows every voice's language from its name.
    var voices: VoiceCatalog { runner?.pipeline.voices ?? VoiceCatalog() }

    /// `spec`, unless its voice speaks another language than it (then `badRequest` naming `voice`).
    @discardableResult
    func checkVoice(_ spec: JobSpec) throws(JobError) -> JobSpec {
        guard spec.voiceover == nil else { return spec }
        do {
            _ = try spec.narrationVoice(in: voices)
        } catch {
            throw JobError(.badRequest, "voice: \(error.message)", field: "voice")
        }
        return spec
    }

    /// Checks and queues a request; the same `idempotencyKey` returns the job made the first time.
    /// - Throws: ``JobError``: `badRequest` naming the field, `queueFull`, `conflict`.
    public func create(_ request: JobRequest, idempotencyKey: String?, now: Date = Date()) async throws -> (job: JobRecord, created: Bool) {
        if let key = idempotencyKey, key.isEmpty || key.count > 200 {
            throw JobError.bad("Idempotency-Key", "must be 1 to 200 characters")
        }
        let spec = try request.initialSpec()
        let resolved = try await check(request)
        let title = request.title ?? resolved?.title
        var record = JobRecord(id: UUID().uuidString.lowercased(), request: request, spec: spec, title: title, createdAt: now,
                               idempotencyKey: idempotencyKey, expectedMemory: Self.expectedMemory(resolved))
        // A draft of a script or spec needs no worker: it is ready to edit at once.
        if request.draft, spec != nil {
            record.state = .draft
            record.finishedAt = now
        }
        let result = try await queue.enqueue(record, maxQueued: limits.maxQueued)
        if result.created { runner?.wake() }
        return result
    }

    /// The job.
    /// - Throws: ``JobError`` `notFound`.
    public func job(_ id: String) async throws -> JobRecord {
        guard Self.isJobID(id), let job = try await queue.job(id) else { throw JobError(.notFound, "no job \(id.prefix(80))") }
        return job
    }

    /// Replaces the spec of a job that is not queued or running (a draft, or a finished job to render again).
    /// - Throws: ``JobError``: `notFound`, `wrongState`, `badRequest` naming the spec's field.
    public func replaceSpec(_ id: String, with text: String) async throws -> JobRecord {
        let job = try await job(id)
        guard job.state != .queued, job.state != .running else {
            throw JobError(.wrongState, "job \(id) is \(job.state.rawValue); edit its spec once it is a draft or has finished")
        }
        guard text.count <= JobRequest.maxTextCharacters else { throw JobError(.tooLarge, "spec: longer than \(JobRequest.maxTextCharacters) characters", field: "spec") }
        let spec = try job.request.resolve(specText: text, paths: paths, output: folders.video(id))
        try await queue.saveSpec(id, spec: text, title: job.request.title ?? spec.title)
        return try await self.job(id)
    }

    /// Queues a draft, or a finished job, to be rendered (again) from its spec.
    /// - Throws: ``JobError``: `notFound`, `wrongState`.
    public func render(_ id: String, now: Date = Date()) async throws -> JobRecord {
        let current = try await job(id)
        guard current.spec != nil else { throw JobError(.wrongState, "job \(id) has no spec yet; wait for the script to be written") }
        let job = try await queue.requeue(id, maxQueued: limits.maxQueued, now: now)
        runner?.wake()
        return job
    }

    /// Queues a failed or cancelled job again.
    /// - Throws: ``JobError``: `notFound`, `wrongState` unless failed or cancelled.
    public func retry(_ id: String, now: Date = Date()) async throws -> JobRecord {
        let current = try await job(id)
        guard current.state == .failed || current.state == .cancelled else {
            throw JobError(.wrongState, "job \(id) is \(current.state.rawValue); only a failed or cancelled job can be retried")
        }
        let job = try await queue.requeue(id, maxQueued: limits.maxQueued, now: now)
        runner?.wake()
        return job
    }

    /// Cancels a job: at once when waiting; a running one stops (ffmpeg with it) within moments.
    /// - Throws: ``JobError``: `notFound`, `wrongState` when it already ended.
    public func cancel(_ id: String, now: Date = Date()) async throws -> JobRecord {
        _ = try await job(id)
        let job = try await queue.cancel(id, now: now)
        if job.state == .running { await runner?.stop(id) } else if job.state == .cancelled { onTerminal(id, .cancelled) }
        return job
    }

    /// Deletes a job that is not running, with its files.
    /// - Throws: ``JobError``: `notFound`, `wrongState` while it runs.
    public func delete(_ id: String) async throws {
        _ = try await job(id)
        guard try await queue.delete(id) else { throw JobError(.notFound, "no job \(id)") }
        folders.removeJob(id)
    }

    /// `path` as a file inside the server's library folders (after resolving `..` and symbolic
    /// links), or `nil`: how a client-visible path, such as a report's candidate, is checked before
    /// the server reads it.
    public func libraryFile(_ path: String) -> URL? {
        guard path.hasPrefix("/"), let canonical = SpecPaths.canonical(URL(fileURLWithPath: path)),
              SpecPaths.confined(base: folders.uploads, uploads: folders.uploads, roots: libraries).allowsLibrary(canonical) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: canonical, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: canonical)
    }

    /// Whether `id` looks like a job identifier (a lower-case UUID): anything else is not looked up,
    /// and never becomes part of a path.
    public static func isJobID(_ id: String) -> Bool {
        id.count == 36 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase || $0 == "-" }
    }
}

extension JobRequest {
    /// The request field that holds the words: `topic`, `category`, `script` or `spec`.
    public var sourceField: String {
        switch source {
        case .topic: "topic"
        case .category: "category"
        case .script: "script"
        case .spec: "spec"
        }
    }
}
