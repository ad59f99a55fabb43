import Foundation

extension FootageStage {
    /// Asks every source for every phrase at once (each distinct source × phrase once, even when several
    /// scenes share it); remote answers come from the cache while younger than its lifetime.
    func search(_ queries: [Int: [String]], into report: inout FootageReport) async -> [FootageClip] {
        var jobs: [(source: Int, phrase: String)] = []
        var seen = Set<String>()
        for scene in queries.keys.sorted() {
            for phrase in queries[scene] ?? [] {
                for source in sources.indices where seen.insert("\(source)\u{1}\(phrase.lowercased())").inserted {
                    jobs.append((source, phrase))
                }
            }
        }
        let results = await bounded(jobs, limit: tuning.searchConcurrency) { job -> SearchResult in
            let source = sources[job.source]
            let query = FootageQuery(text: job.phrase, count: tuning.resultsPerQuery, frameWidth: frameWidth, frameHeight: frameHeight)
            if source.isRemote, let cached = cache.search(source: source.name, query: query) {
                await stats?.record("footage search", hit: true)
                return SearchResult(clips: cached, hit: true, problem: nil)
            }
            do {
                var clips = try await source.search(query)
                if let library = source as? LocalLibrary, scorer.judgesPictures {
                    // A picture scorer can find library files whose names say nothing.
                    clips += library.allClips()
                }
                if source.isRemote {
                    await stats?.record("footage search", hit: false)
                    try? cache.storeSearch(clips, source: source.name, query: query)
                }
                return SearchResult(clips: clips, hit: false, problem: nil)
            } catch is CancellationError {
                return SearchResult(clips: [], hit: false, problem: nil)
            } catch {
                return SearchResult(clips: [], hit: false, problem: "\(source.name) (\"\(job.phrase)\"): \(error)")
            }
        }
        var clips: [FootageClip] = []
        for (job, result) in zip(jobs, results) {
            if sources[job.source].isRemote {
                if result.hit { report.searches.hits += 1 } else { report.searches.misses += 1 }
            }
            if let problem = result.problem, !report.problems.contains(problem) { report.problems.append(problem) }
            clips += result.clips
        }
        return clips
    }

    struct SearchResult: Sendable {
        var clips: [FootageClip]
        var hit: Bool
        var problem: String?
    }

    /// The picture each clip is judged by: a cached or freshly fetched thumbnail for remote clips, the
    /// file itself for the library. A thumbnail that cannot be fetched leaves the clip to its words.
    func thumbnails(for clips: [FootageClip], report: inout FootageReport) async -> [String: RelevancePicture] {
        var pictures: [String: RelevancePicture] = [:]
        var fetch: [FootageClip] = []
        for clip in clips {
            if clip.media.isFileURL {
                pictures[clip.key] = clip.kind == .still ? .image(clip.media) : .frame(clip.media, at: 0.5)
            } else if scorer.judgesPictures, let thumb = clip.thumbnails.first {
                let file = cache.thumbnail(for: thumb)
                if FileManager.default.fileExists(atPath: file.path) {
                    report.thumbnails.hits += 1
                    await stats?.record("thumbnails", hit: true)
                    pictures[clip.key] = .image(file)
                } else {
                    fetch.append(clip)
                }
            }
        }
        let bySource = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let fetched = await bounded(fetch, limit: tuning.thumbnailConcurrency) { clip -> URL? in
            guard let source = bySource[clip.source], let thumb = clip.thumbnails.first else { return nil }
            let destination = cache.thumbnail(for: thumb)
            guard let temporary = try? cache.temporaryFile(extension: "img") else { return nil }
            do {
                try await source.fetchThumbnail(of: clip, to: temporary)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard rename(temporary.path, destination.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
                return destination
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                return nil
            }
        }
        for (clip, file) in zip(fetch, fetched) {
            report.thumbnails.misses += 1
            await stats?.record("thumbnails", hit: false)
            if let file { pictures[clip.key] = .image(file) }
        }
        return pictures
    }

    /// Scores the clips not scored yet against every wanted scene, in one call so the scorer can batch.
    func score(_ work: inout Work, pictures: [String: RelevancePicture]) async throws {
        let keys = work.order.filter { work.candidates[$0]?.scored == false }
        guard !keys.isEmpty, !work.wanted.isEmpty else { return }
        let (texts, rows) = work.scoringTexts()
        let candidates = keys.map { key -> RelevanceCandidate in
            let clip = work.candidates[key]!.clip
            return RelevanceCandidate(pictures: pictures[key].map { [$0] } ?? [], text: clip.text)
        }
        let matrix = try await scorer.scores(texts: texts, candidates: candidates)
        for (column, key) in keys.enumerated() {
            work.candidates[key]?.picture = pictures[key]
            work.candidates[key]?.scored = true
            for scene in work.wanted {
                work.candidates[key]?.scores[scene] = Work.combine(matrix, rows: rows[scene]!, column: column)
            }
        }
    }

    /// Runs `body` for every item with at most `limit` at once; results in input order. Cancellation
    /// is left to `body` (each item's own work notices it).
    func bounded<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        guard !items.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(max(1, limit), items.count) {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
