import Foundation

extension Pipeline {
    /// Expected scene lengths before narration exists (it runs alongside): the language's pace
    /// (``SpeechPace``: about 2.5 words a second in English, 7 characters in Japanese) at the voice's
    /// speed, plus the pause between scenes. Decides shots per scene and which clips are long enough;
    /// the timeline uses the real lengths later.
    static func expectedDurations(_ spec: JobSpec) -> [Double] {
        let speed = max(0.25, spec.voice?.speed ?? 1)
        let pace = SpeechPace(spec.language)
        return spec.scenes.map { scene in
            Double(pace.count(in: scene.text)) / (pace.perSecond * speed) + 0.4
        }
    }

    /// Runs the footage stage for one job with its own HTTP client (shut down when the stage ends).
    func gatherFootage(_ spec: JobSpec, probe: MediaProbe, stats: CacheStats) async throws -> FootageOutcome {
        let requests = RequestCounter()
        var settings = FootageHTTP.Settings()
        settings.requestTimeout = footage.requestTimeout
        return try await FootageHTTP.withClient(settings: settings, counter: requests) { http in
            let stage = try await footageStage(for: spec, http: http, requests: requests, probe: probe, stats: stats)
            return try await stage.gather(spec.scenes, durations: Self.expectedDurations(spec))
        }
    }

    /// The footage stage for one job: the spec's sources that are configured, and the best scorer
    /// available (``RelevanceSelection``: the sentence-embedding model and a CLIP model if one is named
    /// or installed, either alone, else the metadata text scorer).
    /// With CLIP, the library is refreshed against the media index first (only new and changed files are
    /// read); the metadata scorer matches file names and tags, which needs no hashing at all.
    /// - Throws: ``RelevanceError`` when the spec names a CLIP model that is not installed or broken;
    ///   `CancellationError`. An index that cannot be used is not an error: the report says so and the
    ///   job goes on without it.
    func footageStage(for spec: JobSpec, http: FootageHTTP, requests: RequestCounter, probe: MediaProbe, stats: CacheStats) async throws -> FootageStage {
        var skipped: [String] = []
        var sources: [any FootageSource] = []
        var libraryIndex: LibraryIndexCount?
        var index = self.index
        if index == nil {
            do { index = try MediaIndex(in: cache) } catch { skipped.append("\(error); library files are hashed again and embeddings kept as files") }
        }
        // The sentence-embedding model is loaded now (and kept for the scoring): a corrupt file costs one
        // note and the job goes on with CLIP or metadata.
        let selection = await (try RelevanceSelection.choose(
            clip: spec.footage.clip,
            locations: voices.locations,
            models: voices.models,
            cache: EmbeddingCache(disk: cache, index: index, digests: digests, stats: stats)
        )).checked()
        if let warning = selection.warning { skipped.append(warning) }
        for name in spec.footage.sources {
            switch name {
            case "pexels":
                if let key = footage.pexelsKey {
                    sources.append(PexelsSource(apiKey: key, baseURL: footage.pexelsURL, http: http))
                } else {
                    skipped.append("pexels skipped: set PEXELS_API_KEY to search it")
                }
            case "pixabay":
                if let key = footage.pixabayKey {
                    sources.append(PixabaySource(apiKey: key, baseURL: footage.pixabayURL, http: http))
                } else {
                    skipped.append("pixabay skipped: set PIXABAY_API_KEY to search it")
                }
            case "youtube":
                sources.append(YouTubeSource(http: http, probe: probe, interval: footage.youtubeDelay))
            case "library":
                guard !spec.library.isEmpty else { break }
                // Hashes only serve content-keyed embeddings: a text scorer reads names and tags.
                if let index, selection.scorer.judgesPictures {
                    do {
                        let (library, scan) = try await LocalLibrary.indexed(folders: spec.library, index: index, digests: digests)
                        sources.append(library)
                        libraryIndex = LibraryIndexCount(scan)
                        break
                    } catch let error as FootageError {
                        skipped.append("\(error); the library was walked without its index")
                    }
                }
                sources.append(LocalLibrary(folders: spec.library))
            default:
                break
            }
        }
        var tuning = FootageStage.Tuning()
        tuning.shotSeconds = spec.footage.shotSeconds
        tuning.maxShotsPerScene = spec.footage.maxShots
        var stage = FootageStage(
            sources: sources,
            scorer: selection.scorer,
            scorerNote: selection.note,
            cache: FootageCache(disk: cache, mediaLimitBytes: footage.mediaCacheBytes),
            probe: probe,
            requests: requests,
            stats: stats,
            tuning: tuning,
            frameWidth: spec.aspect.width,
            frameHeight: spec.aspect.height
        )
        stage.skippedSources = skipped
        stage.libraryIndex = libraryIndex
        return stage
    }
}
