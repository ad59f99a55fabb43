import Foundation

extension FootageStage {
    /// Asks every source for every phrase at once (each distinct source × phrase once, even when several
    /// scenes share it); remote answers come from the cache while younger than its lifetime. Right
    /// after each answer its thumbnails are fetched and, for a picture scorer, embedded, so that work
    /// overlaps with the searches still waiting for a paced site. With `wholeLibrary` and a picture
    /// scorer, the library's files are candidates whatever their names (``libraryByPicture()``).
    /// `localQueries` (scene → phrases in the short's language) go only to sources that
    /// ``FootageSource/searchesLocalPhrases``.
    func search(
        _ queries: [Int: [String]], localQueries: [Int: [String]] = [:], wholeLibrary: Bool, claims: ThumbnailClaims,
        problems: FootageProblems, into report: inout FootageReport
    ) async -> [FootageClip] {
        async let byPicture = wholeLibrary ? libraryByPicture() : []
        var jobs: [(source: Int, phrase: String)] = []
        var seen = Set<String>()
        for scene in Set(queries.keys).union(localQueries.keys).sorted() {
            for phrase in queries[scene] ?? [] {
                for source in sources.indices where seen.insert("\(source)\u{1}\(phrase.lowercased())").inserted {
                    jobs.append((source, phrase))
                }
            }
            for phrase in localQueries[scene] ?? [] {
                for source in sources.indices where sources[source].searchesLocalPhrases
                    && seen.insert("\(source)\u{1}\(phrase.lowercased())").inserted
                {
                    jobs.append((source, phrase))
                }
            }
        }
        let results = await bounded(jobs, limit: tuning.searchConcurrency) { job -> SearchResult in
            let result = await searchOne(sources[job.source], phrase: job.phrase, problems: problems)
            if scorer.judgesPictures, !result.clips.isEmpty {
                let pictures = await thumbnails(for: result.clips, claims: claims, problems: problems)
                await scorer.prepare(result.clips.compactMap { pictures[$0.key] })
            }
            return result
        }
        var clips: [FootageClip] = []
        for (job, result) in zip(jobs, results) {
            if sources[job.source].isRemote {
                if result.hit { report.searches.hits += 1 } else if result.asked { report.searches.misses += 1 }
            }
            clips += result.clips
        }
        let counts = await claims.counts
        report.thumbnails = counts
        return clips + (await byPicture)
    }

    /// The library's files for a picture scorer, which can judge files whose names say nothing: every
    /// file whose picture it has already embedded (from the media index, at no cost), and up to
    /// ``Tuning/newLibraryPictures`` others in path order, embedded now (the first job over a large
    /// library would otherwise decode every file; `aishorts library` embeds them all ahead).
    func libraryByPicture() async -> [FootageClip] {
        guard scorer.judgesPictures else { return [] }
        var clips: [FootageClip] = []
        for case let library as LocalLibrary in sources {
            let all = library.allClips(limit: .max)
            let ready = await scorer.prepared(all.map(LocalLibrary.picture(for:)))
            let fresh = all.filter { !ready.contains(LocalLibrary.picture(for: $0)) }.prefix(tuning.newLibraryPictures)
            let chosen = all.filter { ready.contains(LocalLibrary.picture(for: $0)) } + fresh
            await scorer.prepare(fresh.map(LocalLibrary.picture(for:)))
            clips += chosen
        }
        return clips
    }

    private func searchOne(_ source: any FootageSource, phrase: String, problems: FootageProblems) async -> SearchResult {
        let query = FootageQuery(text: phrase, count: tuning.resultsPerQuery, frameWidth: frameWidth, frameHeight: frameHeight)
        if source.isRemote, let cached = cache.search(source: source.name, query: query) {
            await stats?.record("footage search", hit: true)
            return SearchResult(clips: cached, hit: true, asked: false)
        }
        // A source that refused its key is asked nothing more in this job.
        if await problems.stops(source.name) { return SearchResult(clips: [], hit: false, asked: false) }
        do {
            let clips = try await source.search(query)
            if source.isRemote {
                await stats?.record("footage search", hit: false)
                try? cache.storeSearch(clips, source: source.name, query: query)
            }
            return SearchResult(clips: clips, hit: false, asked: true)
        } catch is CancellationError {
            return SearchResult(clips: [], hit: false, asked: false)
        } catch {
            await problems.record(source: source.name, error: error)
            return SearchResult(clips: [], hit: false, asked: true)
        }
    }

    struct SearchResult: Sendable {
        var clips: [FootageClip]
        var hit: Bool
        /// Whether the source was asked (not when the cache answered or the source was disabled).
        var asked: Bool
    }

    /// The picture each clip is judged by: the cached or freshly fetched thumbnail for a remote clip
    /// (each fetched once per job, whichever search found it first), the file itself for the library.
    /// A thumbnail that cannot be fetched leaves the clip to its words.
    func thumbnails(for clips: [FootageClip], claims: ThumbnailClaims, problems: FootageProblems) async -> [String: RelevancePicture] {
        var pictures: [String: RelevancePicture] = [:]
        var fetch: [(clip: FootageClip, thumb: URL)] = []
        for clip in clips {
            if clip.media.isFileURL {
                pictures[clip.key] = LocalLibrary.picture(for: clip)
                continue
            }
            guard scorer.judgesPictures, let thumb = clip.thumbnails.first else { continue }
            let file = cache.thumbnail(for: thumb)
            switch await claims.claim(thumb, cached: FileManager.default.fileExists(atPath: file.path)) {
            case .cached, .taken:
                pictures[clip.key] = .image(file)
            case .fetch:
                fetch.append((clip, thumb))
            }
        }
        let bySource = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let fetched = await bounded(fetch, limit: tuning.thumbnailConcurrency) { item -> Bool in
            guard let source = bySource[item.clip.source], await !problems.stops(source.name),
                let temporary = try? cache.temporaryFile(extension: "img")
            else { return false }
            let destination = cache.thumbnail(for: item.thumb)
            do {
                try await source.fetchThumbnail(of: item.clip, to: temporary)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard rename(temporary.path, destination.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
                return true
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                // A missing thumbnail only leaves the clip to its words; a refused key stops the source.
                if (error as? FootageError)?.code == .unauthorized { await problems.record(source: source.name, error: error) }
                return false
            }
        }
        for (item, ok) in zip(fetch, fetched) {
            await stats?.record("thumbnails", hit: false)
            if ok { pictures[item.clip.key] = .image(cache.thumbnail(for: item.thumb)) }
        }
        return pictures
    }

    /// The pictures of clips already searched: thumbnails are in the cache by now (or failed).
    func pictures(for clips: [FootageClip]) -> [String: RelevancePicture] {
        var pictures: [String: RelevancePicture] = [:]
        for clip in clips {
            if clip.media.isFileURL {
                pictures[clip.key] = clip.kind == .still ? .image(clip.media) : .frame(clip.media, at: 0.5)
            } else if scorer.judgesPictures, let thumb = clip.thumbnails.first {
                let file = cache.thumbnail(for: thumb)
                if FileManager.default.fileExists(atPath: file.path) { pictures[clip.key] = .image(file) }
            }
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

/// Which thumbnails one job has fetched or is fetching, so two searches that found the same clip
/// fetch its thumbnail once; also the job's thumbnail hit counts.
actor ThumbnailClaims {
    enum Claim { case cached, taken, fetch }

    private var claimed = Set<URL>()
    private(set) var counts = CacheCount()

    /// Whether the caller should fetch `thumb`: not when it is in the cache or another search took it.
    func claim(_ thumb: URL, cached: Bool) -> Claim {
        guard claimed.insert(thumb).inserted else { return .taken }
        if cached {
            counts.hits += 1
            return .cached
        }
        counts.misses += 1
        return .fetch
    }
}
