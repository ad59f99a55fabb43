/// Times stages, announces them as events and keeps their metrics for the report.
actor StageRecorder {
    private let monitor: ResourceMonitor
    private let events: @Sendable (PipelineEvent) async -> Void
    private var recorded: [String: StageMetrics] = [:]

    init(monitor: ResourceMonitor, events: @escaping @Sendable (PipelineEvent) async -> Void) {
        self.monitor = monitor
        self.events = events
    }

    /// Runs `body` as `stage`, measuring wall time, CPU time and peak tree memory.
    nonisolated func measure<T: Sendable>(_ stage: PipelineStage, _ body: () async throws -> T) async throws -> T {
        await events(.started(stage))
        await monitor.begin(stage.rawValue)
        let start = ContinuousClock.now
        let cpu = ResourceMonitor.cpuSeconds()
        let value = try await body()
        let metrics = StageMetrics(
            wallSeconds: (ContinuousClock.now - start).inSeconds,
            cpuSeconds: ResourceMonitor.cpuSeconds() - cpu,
            peakTreeRSSBytes: await monitor.end(stage.rawValue)
        )
        await store(stage, metrics)
        await events(.finished(stage, metrics))
        return value
    }

    private func store(_ stage: PipelineStage, _ metrics: StageMetrics) {
        recorded[stage.rawValue] = metrics
    }

    func metrics() -> [String: StageMetrics] { recorded }
}
