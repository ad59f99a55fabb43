import Foundation

extension JobRunner {
    /// Why a job's work stopped before it ended on its own.
    enum Interruption: Error {
        /// A client cancelled it.
        case cancelled
        /// The lease was lost: another worker may have it now; write nothing.
        case leaseLost
    }

    /// Runs one claimed job to its outcome, renewing its lease meanwhile, and records the outcome.
    func execute(_ job: JobRecord) async {
        let outcome: JobOutcome? = await withTaskGroup(of: Result<JobOutcome, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await self.make(job)) } catch { return .failure(error) }
            }
            group.addTask {
                do {
                    try await self.watch(job.id)
                    return nil
                } catch {
                    return .failure(error)
                }
            }
            // The first to end decides: the work's result, or the watcher's interruption (which
            // cancels the work: ffmpeg and yt-dlp are stopped by the cancellation).
            let first = await group.next() ?? nil
            group.cancelAll()
            let second = await group.next() ?? nil
            switch first ?? second {
            case .success(let outcome): return outcome
            case .failure(let error): return await self.outcome(of: error, job: job)
            case nil: return nil
            }
        }
        if let outcome, await record(outcome, of: job) { observe(outcome, job: job) }
        await finished(job.id)
    }

    private func observe(_ outcome: JobOutcome, job: JobRecord) {
        switch outcome {
        case .succeeded(let report):
            observer(.ended(.succeeded, try? JSONDecoder().decode(RunReport.self, from: Data(report.utf8))))
        case .failed(_, let retryAt): observer(.ended(retryAt == nil ? .failed : .queued, nil))
        case .cancelled: observer(.ended(.cancelled, nil))
        case .draft: observer(.ended(.draft, nil))
        case .requeued: observer(.ended(.queued, nil))
        }
        switch outcome {
        case .succeeded: observer(.finished(job.id, .succeeded))
        case .failed(_, nil): observer(.finished(job.id, .failed))
        case .cancelled: observer(.finished(job.id, .cancelled))
        case .failed, .draft, .requeued: break
        }
    }

    /// Stores the attempt's outcome; a database that is away for a moment is retried until the lease
    /// would have run out (then the job is someone else's). Returns whether it was stored.
    private func record(_ outcome: JobOutcome, of job: JobRecord) async -> Bool {
        let deadline = ContinuousClock.now + configuration.lease
        var delay = Duration.milliseconds(200)
        while true {
            do {
                return try await queue.finish(job.id, worker: configuration.worker, outcome: outcome, now: Date())
            } catch {
                guard ContinuousClock.now + delay < deadline else { return false }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// Renews the lease every heartbeat and watches for a client's cancel; returns only by throwing.
    ///
    /// A heartbeat that fails (the database is restarting) is tried again at the next tick: the
    /// render goes on and keeps its attempt, unless the lease runs out first.
    private nonisolated func watch(_ id: String) async throws {
        var lastBeat = ContinuousClock.now
        var lastHeld = ContinuousClock.now
        while true {
            try await Task.sleep(for: .milliseconds(100))
            if await cancelRequested(id) { throw Interruption.cancelled }
            guard ContinuousClock.now - lastBeat >= configuration.heartbeat else { continue }
            lastBeat = .now
            let status: LeaseStatus
            do {
                status = try await queue.heartbeat(id, worker: configuration.worker, lease: configuration.lease, now: Date())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if ContinuousClock.now - lastHeld >= configuration.lease { throw Interruption.leaseLost }
                lastBeat = ContinuousClock.now - configuration.heartbeat + .seconds(1)
                continue
            }
            switch status {
            case .held: lastHeld = .now
            case .cancelRequested: throw Interruption.cancelled
            case .lost: throw Interruption.leaseLost
            }
        }
    }

    /// What an error means for the job: cancelled, back in the queue, retried later, or failed.
    private func outcome(of error: any Error, job: JobRecord) async -> JobOutcome? {
        switch error {
        case Interruption.cancelled: return .cancelled
        case Interruption.leaseLost: return nil
        case is CancellationError:
            if cancelRequested(job.id) { return .cancelled }
            // Cancelled by the shutdown: the job goes back and runs again on the next start.
            return .requeued
        default:
            if isStopping, Task.isCancelled { return .requeued }
            let failure = JobFailure(error)
            guard failure.transient, job.attempts < configuration.maxAttempts else { return .failed(failure, retryAt: nil) }
            let delay = min(configuration.retryDelay.inSeconds * pow(2, Double(job.attempts - 1)), 60)
            // ±25 % jitter so that jobs failing together do not retry together.
            let jittered = delay * Double.random(in: 0.75...1.25)
            _ = try? await queue.record(job.id, worker: configuration.worker, events: [
                NewJobEvent(.note, ["message": .text("attempt \(job.attempts) failed (\(failure.message)); retrying in \(Int(jittered.rounded(.up))) s")]),
            ], progress: nil, now: Date())
            return .failed(failure, retryAt: Date().addingTimeInterval(jittered))
        }
    }

    /// Writes the script when needed, then renders: the job's whole work.
    private nonisolated func make(_ job: JobRecord) async throws -> JobOutcome {
        let events = EventRecorder(queue: queue, job: job.id, worker: configuration.worker, observer: observer)
        var specText = job.spec
        if specText == nil {
            specText = try await write(job, events: events)
        }
        guard let specText else { throw JobFailure(code: "internal", message: "the job has no spec") }
        if job.request.draft {
            return .draft
        }
        let paths = SpecPaths.confined(base: storage.job(job.id), uploads: storage.uploads, roots: libraries)
        let spec = try job.request.resolve(specText: specText, paths: paths, output: folders.video(job.id))
        try FileManager.default.createDirectory(at: folders.job(job.id), withIntermediateDirectories: true)
        var report = try await pipeline.run(Job(spec: spec, id: job.id)) { event in await events.record(event) }
        await events.flush()
        try await Poster.make(for: folders.video(job.id), at: folders.poster(job.id), ffmpeg: pipeline.ffmpeg)
        // Clients see the report: it names the video by its link, and models by file name, not by
        // where they live on the server.
        report.output = "/api/v1/jobs/\(job.id)/video"
        report.memoryBudgetBytes = configuration.memoryBudget
        report.models = report.models.map { usage in
            var usage = usage
            usage.path = URL(fileURLWithPath: usage.path).lastPathComponent
            return usage
        }
        let json = try report.json()
        try json.write(to: folders.report(job.id), options: .atomic)
        if storage != folders { try publish(job.id) }
        return .succeeded(report: String(decoding: json, as: UTF8.self))
    }

    /// Has the LLM write the script and stores the spec; returns the spec text.
    private nonisolated func write(_ job: JobRecord, events: EventRecorder) async throws -> String {
        let subject: ScriptSubject
        switch job.request.source {
        case .topic(let topic): subject = .topic(topic)
        case .category(let category): subject = .category(category)
        case .script, .spec: throw JobFailure(code: "internal", message: "a script or spec job has no spec")
        }
        var writer = try self.writer()
        if let seconds = job.request.duration { writer.settings.targetSeconds = seconds }
        let language = job.request.language.flatMap(LanguageTag.init) ?? .english
        writer.language = language
        await events.started("script")
        let voice = try job.request.voice.map { raw throws(JobError) in try VoiceChoice.parse(raw) }
        let warm = voice ?? pipeline.voices.defaultChoice(for: language)
        let written = try await pipeline.writeSpec(about: subject, writer: writer, voice: job.request.draft ? nil : warm,
                                                   output: folders.video(job.id)) { index in
            await events.progress("script", fraction: nil, note: "scene \(index + 1) written")
        }
        let text = written.spec.yaml(includingOutputPath: false)
        try await queue.saveSpec(job.id, spec: text, title: job.request.title ?? written.spec.title)
        await events.finished("script")
        return text
    }
}
