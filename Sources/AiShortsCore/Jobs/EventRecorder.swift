import Foundation

/// Turns a job's pipeline events into stored job events, and its progress into the job's row.
///
/// Progress comes from ffmpeg several times a second; storing each would make the event log and the
/// database the bottleneck. A stage's progress is stored when it moved by 2 % or half a second
/// passed, and always at the stage's start and end.
actor EventRecorder {
    let queue: any JobQueue
    let job: String
    let worker: String
    let observer: @Sendable (JobRunner.Observation) -> Void
    private var lastStored: (fraction: Double, time: ContinuousClock.Instant)?
    private var pending: (stage: String, fraction: Double, eta: Double?)?

    init(queue: any JobQueue, job: String, worker: String, observer: @escaping @Sendable (JobRunner.Observation) -> Void) {
        self.queue = queue
        self.job = job
        self.worker = worker
        self.observer = observer
    }

    func record(_ event: PipelineEvent) async {
        switch event {
        case .started(let stage):
            await started(stage.rawValue)
        case .progress(let stage, let fraction, let remaining):
            pending = (stage.rawValue, fraction, remaining?.inSeconds)
            let now = ContinuousClock.now
            if let last = lastStored, fraction - last.fraction < 0.02, now - last.time < .milliseconds(500) { return }
            await flush()
        case .finished(let stage, let metrics):
            observer(.stage(stage.rawValue, seconds: metrics.wallSeconds))
            pending = nil
            await store([NewJobEvent(.stageFinished, [
                "stage": .text(stage.rawValue), "wall_seconds": .number(metrics.wallSeconds),
                "cpu_seconds": .number(metrics.cpuSeconds), "peak_rss_bytes": .integer(metrics.peakTreeRSSBytes),
            ])], progress: JobProgress(stage: stage.rawValue, fraction: 1, etaSeconds: 0))
        case .note(let message):
            await store([NewJobEvent(.note, ["message": .text(message)])], progress: nil)
        }
    }

    func started(_ stage: String) async {
        lastStored = (0, .now)
        await store([NewJobEvent(.stageStarted, ["stage": .text(stage)])], progress: JobProgress(stage: stage, fraction: 0, etaSeconds: nil))
    }

    func finished(_ stage: String) async {
        await store([NewJobEvent(.stageFinished, ["stage": .text(stage)])], progress: JobProgress(stage: stage, fraction: 1, etaSeconds: 0))
    }

    /// Progress of a stage that counts steps rather than fractions (the script's scenes).
    func progress(_ stage: String, fraction: Double?, note: String) async {
        var fields: [String: JSONScalar] = ["stage": .text(stage), "message": .text(note)]
        if let fraction { fields["fraction"] = .number(fraction) }
        await store([NewJobEvent(.stageProgress, fields)], progress: nil)
    }

    /// Stores the latest progress not yet stored.
    func flush() async {
        guard let pending else { return }
        self.pending = nil
        lastStored = (pending.fraction, .now)
        var fields: [String: JSONScalar] = ["stage": .text(pending.stage), "fraction": .number(pending.fraction)]
        fields["eta_seconds"] = pending.eta.map { .number($0) } ?? .null
        await store([NewJobEvent(.stageProgress, fields)], progress: JobProgress(stage: pending.stage, fraction: pending.fraction, etaSeconds: pending.eta))
    }

    private func store(_ events: [NewJobEvent], progress: JobProgress?) async {
        // A lost lease makes the queue refuse the write; the watcher stops the job.
        _ = try? await queue.record(job, worker: worker, events: events, progress: progress, now: Date())
    }
}
