import Foundation

extension FootageStage.Work {
    /// One file to make available: a clip, or a section of a long video.
    struct Fetch: Sendable {
        var key: String
        var clip: FootageClip
        var section: ClipSection?
        var scene: Int
    }

    /// Chooses what to download: for each scene still short of footage, its best candidates by
    /// thumbnail (or text) score, enough for its shots plus `spare`, preferring clips no earlier scene
    /// took. A long video from a source that can cut gives each scene its own, non-overlapping section.
    mutating func downloadPlan(sectionable: (FootageClip) -> Bool, threshold: Double, spare: Int) -> [Fetch] {
        let floor = threshold * 0.8
        var plan: [Fetch] = []
        var planned = Set(options.map(\.key))
        var sectionsTaken: [String: [ClipSection]] = [:]
        for option in options { if let section = option.section { sectionsTaken[option.key, default: []].append(section) } }
        let needy = Set(unfilledScenes())
        for scene in wanted where needy.contains(scene) {
            let shots = slots.filter { $0.scene == scene }
            let need = shots.count + spare
            // A clip that failed earlier in the job is not fetched again.
            let ranked = order.filter { !failed.contains($0) && score(of: $0, scene: scene) >= floor }
                .sorted { score(of: $0, scene: scene) != score(of: $1, scene: scene) ? score(of: $0, scene: scene) > score(of: $1, scene: scene) : $0 < $1 }
            var chosen: [String] = []
            // Library files cost only a probe: the best few that match at all become options, so the
            // library can stand in when nothing online is relevant enough.
            let library = order.filter { !failed.contains($0) && candidates[$0]?.clip.media.isFileURL == true && score(of: $0, scene: scene) > 0 && score(of: $0, scene: scene) < floor }
                .sorted { score(of: $0, scene: scene) > score(of: $1, scene: scene) }
            for key in library.prefix(need) where planned.insert(key).inserted {
                if let clip = candidates[key]?.clip { plan.append(Fetch(key: key, clip: clip, section: nil, scene: scene)) }
            }
            // First clips nobody planned yet, then shared ones (a shared whole clip downloads once).
            for key in ranked where chosen.count < need && !planned.contains(key) { chosen.append(key) }
            for key in ranked where chosen.count < need && !chosen.contains(key) { chosen.append(key) }
            for key in chosen {
                guard let clip = candidates[key]?.clip else { continue }
                if sectionable(clip), let length = clip.duration {
                    let seconds = (shots.map(\.seconds).max() ?? 5) + 1
                    var start = min(length * 0.1, 30)
                    for taken in (sectionsTaken[key] ?? []).sorted(by: { $0.start < $1.start }) where taken.end > start {
                        start = max(start, taken.end + 1)
                    }
                    let section = ClipSection(start: start, end: start + seconds)
                    guard section.end <= length else { continue }
                    sectionsTaken[key, default: []].append(section)
                    plan.append(Fetch(key: key, clip: clip, section: section, scene: scene))
                } else if planned.insert(key).inserted {
                    plan.append(Fetch(key: key, clip: clip, section: nil, scene: scene))
                }
                planned.insert(key)
            }
        }
        return plan
    }
}

extension FootageStage {
    struct Fetched: Sendable {
        var option: Work.Option?
        var hit: Bool
        var failure: FootageError?
    }

    /// Makes every planned file available: library files are probed in place, cached media is reused,
    /// the rest is downloaded in parallel, checked with ffprobe, and moved into the cache. A file that
    /// fails is not planned again in this job (nor, for ``FootageCache/failureLifetime``, in later jobs),
    /// and each scene notes one line per source and kind of failure.
    func download(_ plan: [Work.Fetch], into work: inout Work, problems: FootageProblems) async throws {
        let bySource = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let results = await bounded(plan, limit: tuning.downloadConcurrency) { fetch -> Fetched in
            await fetchOne(fetch, source: bySource[fetch.clip.source], problems: problems)
        }
        try Task.checkCancellation()
        let remote = Set(plan.filter { !$0.clip.media.isFileURL }.map(\.key))
        for (fetch, result) in zip(plan, results) {
            if !fetch.clip.media.isFileURL, result.option != nil || result.failure?.repeated == false {
                if result.hit { work.report.downloads.hits += 1 } else { work.report.downloads.misses += 1 }
            }
            if let option = result.option { work.options.append(option) }
            if let failure = result.failure {
                work.failed.insert(fetch.key)
                let line = await problems.record(source: fetch.clip.source, error: failure)
                if !(work.notes[fetch.scene] ?? []).contains(line) { work.notes[fetch.scene, default: []].append(line) }
            } else if result.option == nil {
                // Not fetched because its source refused its key: not planned again either.
                work.failed.insert(fetch.key)
            }
        }
        work.fetchedRemote.formUnion(remote)
        let remoteFound = work.candidates.values.filter { !$0.clip.media.isFileURL }.count
        work.report.downloadsAvoided = max(0, remoteFound - work.fetchedRemote.count)
    }

    private func fetchOne(_ fetch: Work.Fetch, source: (any FootageSource)?, problems: FootageProblems) async -> Fetched {
        let clip = fetch.clip
        if clip.media.isFileURL {
            return await usable(clip.media, fetch: fetch, hit: true, cached: true)
        }
        if let cached = cache.media(for: clip, section: fetch.section) {
            await stats?.record("downloads", hit: true)
            return await usable(cached.file, fetch: fetch, section: cached.section, hit: true, cached: true)
        }
        if let known = cache.recentFailure(of: clip, section: fetch.section) {
            return Fetched(option: nil, hit: false, failure: known)
        }
        guard let source else {
            return Fetched(option: nil, hit: false, failure: FootageError(.notConfigured, file: clip.key, message: "\(clip.key): no source named \(clip.source)"))
        }
        if await problems.stops(source.name) { return Fetched(option: nil, hit: false, failure: nil) }
        await stats?.record("downloads", hit: false)
        let ext = clip.kind == .still ? (clip.media.pathExtension.isEmpty ? "jpg" : clip.media.pathExtension) : "mp4"
        guard let temporary = try? cache.temporaryFile(extension: ext) else {
            let root = cache.disk.root.path
            return Fetched(option: nil, hit: false, failure: FootageError(.downloadFailed, file: root, message: "cannot write to the cache \(root); check its permissions and free space"))
        }
        do {
            let written = try await source.fetchMedia(of: clip, section: fetch.section, to: temporary)
            guard case .readable(let info) = try await probe.probe(temporary), info.kind != .audio else {
                try? FileManager.default.removeItem(at: temporary)
                let failure = FootageError(.unreadableMedia, file: clip.key, message: "\(clip.key): the download does not decode; skipped")
                cache.rememberFailure(failure, of: clip, section: fetch.section)
                return Fetched(option: nil, hit: false, failure: failure)
            }
            let file = try cache.adoptMedia(temporary, for: clip, section: fetch.section, written: written)
            let option = Work.Option(key: fetch.key, section: written ?? fetch.section, file: file, info: info, fromCache: false)
            return Fetched(option: option, hit: false, failure: nil)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is CancellationError || Task.isCancelled { return Fetched(option: nil, hit: false, failure: nil) }
            let failure = error as? FootageError ?? FootageError(.downloadFailed, file: clip.key, message: "\(clip.key): \(error)")
            // Also when the client already knew the URL failed (another clip with the same media): this
            // clip failed too. A refused key or a rate limit says nothing about the file.
            if failure.code != .unauthorized, failure.code != .rateLimited {
                cache.rememberFailure(failure, of: clip, section: fetch.section)
            }
            return Fetched(option: nil, hit: false, failure: failure)
        }
    }

    private func usable(_ file: URL, fetch: Work.Fetch, section: ClipSection? = nil, hit: Bool, cached: Bool) async -> Fetched {
        guard let outcome = try? await probe.probe(file), case .readable(let info) = outcome, info.kind != .audio else {
            let failure = FootageError(.unreadableMedia, file: file.path, message: "\(file.lastPathComponent): cannot be read; skipped")
            return Fetched(option: nil, hit: hit, failure: failure)
        }
        return Fetched(option: Work.Option(key: fetch.key, section: section ?? fetch.section, file: file, info: info, fromCache: cached), hit: hit, failure: nil)
    }

    /// Re-scores downloaded videos on a few of their own frames (a thumbnail can flatter a clip).
    func rescoreFrames(_ work: inout Work) async throws {
        let pending = work.options.indices.filter { work.options[$0].frameScores == nil && work.options[$0].info.kind == .video }
        guard !pending.isEmpty, !work.wanted.isEmpty else { return }
        let candidates = pending.map { index -> RelevanceCandidate in
            let option = work.options[index]
            let length = option.info.duration ?? 1
            let times = (1...max(1, tuning.keyframes)).map { length * Double($0) / Double(tuning.keyframes + 1) }
            return RelevanceCandidate(pictures: times.map { .frame(option.file, at: $0) }, text: work.candidates[option.key]?.clip.text ?? "")
        }
        let (texts, rows) = work.scoringTexts()
        let matrix = try await scorer.scores(texts: texts, candidates: candidates)
        for (column, index) in pending.enumerated() {
            var scores: [Int: Double] = [:]
            for scene in work.wanted {
                scores[scene] = Work.combine(matrix, rows: rows[scene]!, column: column)
            }
            work.options[index].frameScores = scores
        }
    }
}
