import Foundation

/// The footage stage: finds, ranks, fetches and assigns the pictures every scene shows.
///
/// A scene's own `media` always wins (every file it names must be readable, or the job stops with a
/// ``FootageError``). For the other scenes, every phrase is searched in every source at once; thumbnails
/// are fetched in parallel and scored against the scene's words *before* anything is downloaded; only
/// the best few per scene are downloaded (in parallel, per-host and global limits in the sources), and
/// a picture-based scorer re-scores their frames. Clips are then assigned to scenes for the highest
/// total relevance with no clip, and no stretch of a video, used twice. A scene nothing fits gets
/// broader phrases, then the library, then a generated background: the job always finishes, and
/// ``FootageOutcome/report`` says what happened. Everything fetched is cached by ``FootageCache``, so
/// a second run of the same job makes no network request. The stage holds no mutable state.
public struct FootageStage: Sendable {
    /// Sizes and limits of the stage's work.
    public struct Tuning: Sendable, Hashable {
        /// Results asked of each source per phrase.
        public var resultsPerQuery = 6
        /// A scene gets one shot per this many seconds of narration …
        public var shotSeconds = 6.0
        /// … but at most this many.
        public var maxShotsPerScene = 3
        /// Downloads per scene beyond its shots, so a clip that fails or ranks lower on its frames has a stand-in.
        public var spareDownloads = 1
        /// Frames of a downloaded video re-scored by a picture-based scorer.
        public var keyframes = 3
        /// Searches in flight at once (over all sources; each source also limits itself).
        public var searchConcurrency = 12
        /// Thumbnail fetches in flight at once.
        public var thumbnailConcurrency = 12
        /// Downloads in flight at once.
        public var downloadConcurrency = 6
        /// A video longer than this, from a source that can cut, is downloaded only in sections.
        public var sectionableSeconds = 60.0
        /// Library files a picture scorer embeds in one job beyond those it has embedded before.
        public var newLibraryPictures = 500

        /// The defaults.
        public init() {}
    }

    /// Where footage is searched (remote sources and the library).
    public var sources: [any FootageSource]
    /// Ranks candidates against the scenes' words.
    public var scorer: any RelevanceScorer
    /// Why this scorer, for the report (set when the CLIP model is missing).
    public var scorerNote: String?
    /// Search, thumbnail and media caches.
    public var cache: FootageCache
    /// Validates and measures files.
    public var probe: MediaProbe
    /// Counts network requests; shared with the sources.
    public var requests: RequestCounter
    /// Hit counts for the run report.
    public var stats: CacheStats?
    /// Sizes and limits.
    public var tuning: Tuning
    /// Sources the job asked for but could not use (a missing key), one line each, for the report.
    public var skippedSources: [String] = []
    /// What refreshing the library's index found, for the report.
    public var libraryIndex: LibraryIndexCount?
    /// The output frame, so sources can prefer its shape.
    public var frameWidth: Int
    /// The output frame's height.
    public var frameHeight: Int

    /// Creates the stage.
    public init(
        sources: [any FootageSource], scorer: any RelevanceScorer, scorerNote: String? = nil, cache: FootageCache, probe: MediaProbe,
        requests: RequestCounter = RequestCounter(), stats: CacheStats? = nil, tuning: Tuning = Tuning(),
        frameWidth: Int = 1080, frameHeight: Int = 1920
    ) {
        self.sources = sources
        self.scorer = scorer
        self.scorerNote = scorerNote
        self.cache = cache
        self.probe = probe
        self.requests = requests
        self.stats = stats
        self.tuning = tuning
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
    }

    /// Chooses footage for every scene.
    ///
    /// - Parameter durations: each scene's expected length in seconds (from its words when narration
    ///   runs alongside); decides how many shots a scene gets and which clips are long enough.
    /// - Throws: ``FootageError`` for unusable files a scene names; `CancellationError`. A failing source
    ///   is not an error: its scenes fall back and the report says why.
    public func gather(_ scenes: [Scene], durations: [Double]) async throws -> FootageOutcome {
        let named = try await probeNamedMedia(scenes)
        let wanted = scenes.indices.filter { named[$0] == nil }
        var work = Work(scenes: scenes, wanted: wanted, durations: durations, shots: tuning)
        let problems = FootageProblems()
        if !wanted.isEmpty, !sources.isEmpty {
            let startRequests = await requests.snapshot()
            let claims = ThumbnailClaims()
            try await round(&work, queries: Dictionary(uniqueKeysWithValues: wanted.map { ($0, Self.phrases(for: scenes[$0])) }), stage: .first, claims: claims, problems: problems)
            let short = work.unfilledScenes()
            if !short.isEmpty {
                var broader: [Int: [String]] = [:]
                for scene in short {
                    let tried = Set(Self.phrases(for: scenes[scene]).map { $0.lowercased() })
                    let words = Self.broaderPhrases(for: scenes[scene]).filter { !tried.contains($0) }
                    if !words.isEmpty { broader[scene] = words }
                }
                if !broader.isEmpty {
                    try await round(&work, queries: broader, stage: .broader, claims: claims, problems: problems)
                }
            }
            work.report.requests = Self.difference(await requests.snapshot(), startRequests)
        }
        work.report.scorer = scorer.name
        work.report.library = libraryIndex
        work.report.scorerNote = scorerNote
        // A source without its key matters only when some scene needed footage.
        work.report.problems = (wanted.isEmpty ? [] : skippedSources) + (await problems.lines)
        // Keep the media cache within its size; files this job uses were just touched and are kept.
        cache.trimMedia()
        return FootageOutcome(scenes: work.result(named: named), report: work.report)
    }

    /// One search–rank–fetch–assign pass for `queries` (scene → phrases).
    private func round(_ work: inout Work, queries: [Int: [String]], stage: Work.Round, claims: ThumbnailClaims, problems: FootageProblems) async throws {
        // The first round also asks the sources that take them for each scene's phrases in the short's language.
        var local: [Int: [String]] = [:]
        if stage == .first {
            for scene in queries.keys {
                let phrases = work.scenes[scene].localQueries.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                if !phrases.isEmpty { local[scene] = phrases }
            }
        }
        let found = await search(queries, localQueries: local, wholeLibrary: stage == .first, claims: claims, problems: problems, into: &work.report)
        work.add(found, round: stage)
        try Task.checkCancellation()
        let pictures = self.pictures(for: work.unscoredClips())
        try await score(&work, pictures: pictures)
        try Task.checkCancellation()
        let plan = work.downloadPlan(sectionable: { clip in
            clip.source == "youtube" && (clip.duration ?? 0) > tuning.sectionableSeconds
        }, threshold: scorer.threshold, spare: tuning.spareDownloads)
        try await download(plan, into: &work, problems: problems)
        if scorer.judgesPictures { try await rescoreFrames(&work) }
        work.assign(floor: scorer.threshold, penaltyUnit: max(scorer.threshold, 0.05) * 0.15, portrait: frameHeight > frameWidth)
    }

    /// Search phrases for a scene: its queries, else the content words of its text.
    static func phrases(for scene: Scene) -> [String] {
        let queries = scene.queries.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if !queries.isEmpty { return queries }
        let words = LocalLibrary.orderedWords(in: scene.text)
        return words.isEmpty ? [] : [words.prefix(4).joined(separator: " ")]
    }

    /// Broader phrases when nothing fitted: each content word of the queries and text alone, longest first.
    /// They are searched, not scored against: what they find must fit the whole scene (``Work/texts(for:)``).
    static func broaderPhrases(for scene: Scene) -> [String] {
        let words = LocalLibrary.orderedWords(in: (scene.queries + [scene.text]).joined(separator: " "))
        return Array(words.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }.prefix(3))
    }

    static func difference(_ after: [String: Int], _ before: [String: Int]) -> [String: Int] {
        after.compactMapValues { $0 }.reduce(into: [:]) { result, item in
            let made = item.value - (before[item.key] ?? 0)
            if made > 0 { result[item.key] = made }
        }
    }
}

/// The footage stage's answer: each scene's pictures, and the stage's report.
public struct FootageOutcome: Sendable, Hashable {
    /// One entry per scene, in order.
    public var scenes: [SceneFootage]
    /// What was searched, fetched and avoided.
    public var report: FootageReport
}
