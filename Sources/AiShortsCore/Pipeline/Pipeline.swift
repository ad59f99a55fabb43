import Foundation

/// Runs a job from spec to finished MP4, reporting typed progress events.
///
/// Narration and footage run concurrently (they do not depend on each other); captions follow the
/// narration; one ffmpeg process composes and encodes. Every intermediate file lives in a private
/// scratch folder removed at the end; the video is written under a temporary name next to the
/// destination and renamed into place only when complete, so a failed or cancelled job leaves nothing
/// at the output path. Reusable results (narration, probes) live in a content-keyed ``DiskCache``, so
/// rerunning a failed job resumes from what was already made. A pipeline holds no mutable state:
/// one value can run several jobs at once.
public struct Pipeline: Sendable {
    /// Where reusable results and scratch folders live.
    public var cache: DiskCache
    /// How voices are found.
    public var voices: VoiceCatalog
    /// The ffmpeg program.
    public var ffmpeg: Tool
    /// The ffprobe program.
    public var ffprobe: Tool
    /// Scenes narrated at once.
    public var narrationConcurrency: Int
    /// Keeps the job's scratch folder (narration, captions, `ffmpeg-command.json`) for inspection.
    public var keepWork: Bool
    /// API keys, endpoints and limits of the footage sources.
    public var footage: FootageConfiguration = .fromEnvironment()
    /// Content hashes of files, remembered for the process (shared by jobs: embeddings are keyed by them).
    public var digests = FileDigests()
    /// The library index and embedding store shared by jobs; `nil` opens the cache folder's own per job.
    public var index: MediaIndex?
    /// Releases idle voice models as soon as a job's narration is done, instead of after the
    /// manager's idle time: right for a command-line run (one job), wasteful for a server.
    public var releasesModelsAfterNarration = false
    /// Also keeps the caption script next to the video (`<name>.ass`), for clients that want it.
    public var keepsCaptions = false

    /// Creates a pipeline.
    public init(
        cache: DiskCache = DiskCache(root: DiskCache.defaultRoot),
        voices: VoiceCatalog = VoiceCatalog(),
        ffmpeg: Tool = .ffmpeg,
        ffprobe: Tool = .ffprobe,
        narrationConcurrency: Int = 2,
        keepWork: Bool = false
    ) {
        self.keepWork = keepWork
        self.cache = cache
        self.voices = voices
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
        self.narrationConcurrency = narrationConcurrency
    }

    /// Makes the video for `job`, writes its report, and returns the report.
    ///
    /// - Parameters:
    ///   - events: called with every event, in order, from the job's tasks.
    ///   - writer: what writing the script cost, copied into the report.
    /// - Throws: the failing stage's error (``SpecError``, ``VoiceError``, ``FootageError``,
    ///   ``RenderError``), or `CancellationError`. Nothing is left at the output path when it throws.
    public func run(
        _ job: Job,
        writer: WriterReport? = nil,
        events: @escaping @Sendable (PipelineEvent) async -> Void = { _ in }
    ) async throws -> RunReport {
        let monitor = ResourceMonitor()
        return try await withThrowingTaskGroup(of: RunReport?.self) { group in
            group.addTask {
                await monitor.run()
                return nil
            }
            defer { group.cancelAll() }
            let report = try await execute(job, writer: writer, monitor: monitor, events: events)
            return report
        }
    }

    private func execute(
        _ job: Job,
        writer: WriterReport?,
        monitor: ResourceMonitor,
        events: @escaping @Sendable (PipelineEvent) async -> Void
    ) async throws -> RunReport {
        let spec = job.spec
        let stats = CacheStats()
        let probe = MediaProbe(cache: cache, stats: stats, tool: ffprobe)
        let recorder = StageRecorder(monitor: monitor, events: events)
        let jobStart = ContinuousClock.now
        let jobCPU = ResourceMonitor.cpuSeconds()
        await monitor.begin("job")

        let createdFolder = try await recorder.measure(.preflight) { try await preflight(spec, probe: probe) }
        var finished = false
        defer {
            // A failed job leaves no trace at the output path, not even a folder it made.
            if !finished, let createdFolder, (try? FileManager.default.contentsOfDirectory(atPath: createdFolder.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: createdFolder)
            }
        }
        let scratch: URL
        do { scratch = try cache.scratchDirectory() } catch {
            throw RenderError(.outputNotWritable, "cannot create a work folder in the cache \(cache.root.path) (\(JobSpec.reason(error))); set AISHORTS_CACHE to a writable folder")
        }
        defer { if !keepWork { try? FileManager.default.removeItem(at: scratch) } }
        if keepWork { await events(.note("keeping the work folder \(scratch.path)")) }

        async let narrationResult = recorder.measure(.narration) {
            let narration = try await narrate(spec, scratch: scratch, probe: probe, stats: stats, events: events)
            if releasesModelsAfterNarration {
                // Nothing after narration needs a voice model; free it before ffmpeg takes the memory.
                await voices.models.releaseIdleModels()
            }
            return narration
        }
        async let footageResult = recorder.measure(.footage) {
            try await gatherFootage(spec, probe: probe, stats: stats)
        }
        let (narration, gathered) = try await (narrationResult, footageResult)
        let footage = gathered.scenes
        for problem in gathered.report.problems { await events(.note("footage: \(problem)")) }
        for scene in footage where scene.origin != "spec" {
            await events(.note("scene \(scene.scene + 1): \(scene.note)"))
        }

        let captions: URL? = try await recorder.measure(.captions) {
            guard spec.captions.enabled else { return nil }
            let style = CaptionStyle(width: spec.aspect.width, height: spec.aspect.height, font: spec.captions.font, language: spec.language)
            let lines = CaptionLine.group(narration.words, maxWords: spec.captions.maxWordsPerLine, style: style)
            let script = ASSSubtitles.script(lines: lines, style: style, width: spec.aspect.width, height: spec.aspect.height)
            let url = scratch.appendingPathComponent("captions.ass")
            try Data(script.utf8).write(to: url, options: .atomic)
            return url
        }

        // The footage stage probed these already: these lookups are cache hits.
        var sources: [URL: MediaInfo] = [:]
        for scene in footage {
            for case .video(let url, _) in scene.visuals {
                if case .readable(let info) = try await probe.probe(url) { sources[url] = info }
            }
        }
        let timeline = Timeline(
            width: spec.aspect.width,
            height: spec.aspect.height,
            fps: spec.output.fps,
            segments: Timeline.layout(scenes: footage, sceneDurations: narration.sceneDurations, fps: spec.output.fps),
            transition: spec.transition,
            captions: captions,
            narration: narration.audio,
            music: spec.music,
            preset: spec.output.preset,
            crf: spec.output.crf,
            sources: sources
        )
        try await recorder.measure(.render) {
            try await render(timeline, to: spec.output.path, scratch: scratch) { progress in
                await events(.progress(.render, fraction: progress.fraction, remaining: progress.remaining))
            }
        }
        let video = try await recorder.measure(.probe) {
            try await OutputReport.measure(spec.output.path, probe: MediaProbe(tool: ffprobe), ffmpeg: ffmpeg)
        }
        let total = StageMetrics(
            wallSeconds: (ContinuousClock.now - jobStart).inSeconds,
            cpuSeconds: ResourceMonitor.cpuSeconds() - jobCPU,
            peakTreeRSSBytes: await monitor.end("job")
        )
        let report = RunReport(
            job: job.id,
            title: spec.title,
            output: spec.output.path.path,
            voice: narration.voice,
            language: spec.language.description,
            stages: await recorder.metrics(),
            total: total,
            caches: await stats.snapshot(),
            scenes: sceneReports(narration: narration, footage: footage, segments: timeline.segments),
            video: video,
            writer: writer,
            models: await voices.models.usageReport(),
            footage: gathered.report
        )
        try report.json().write(to: RunReport.location(for: spec.output.path), options: .atomic)
        if keepsCaptions, let captions {
            // Written whole (`.atomic` goes through a temporary file), like the report.
            try? Data(contentsOf: captions).write(to: spec.output.path.deletingPathExtension().appendingPathExtension("ass"), options: .atomic)
        }
        finished = true
        return report
    }

    /// Scene reports listing the pictures actually shown (a short scene drops pictures it has no time for).
    private func sceneReports(narration: JobNarration, footage: [SceneFootage], segments: [Timeline.Segment]) -> [RunReport.SceneReport] {
        var start = 0.0
        return footage.enumerated().map { index, scene in
            defer { start += narration.sceneDurations[index] }
            return RunReport.SceneReport(
                scene: index + 1,
                start: start,
                duration: narration.sceneDurations[index],
                words: narration.wordsPerScene[index],
                footage: scene.origin,
                visuals: segments.filter { $0.scene == index }.map(\.visual.label),
                note: scene.note,
                candidates: scene.candidates.isEmpty ? nil : scene.candidates
            )
        }
    }


}
