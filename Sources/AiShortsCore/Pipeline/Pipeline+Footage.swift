import Foundation

extension Pipeline {
    /// Expected scene lengths before narration exists (it runs alongside): words at about 2.6 per
    /// second at normal speed, plus the pause between scenes. Decides shots per scene and which clips
    /// are long enough; the timeline uses the real lengths later.
    static func expectedDurations(_ spec: JobSpec) -> [Double] {
        let speed = max(0.25, spec.voice.speed)
        return spec.scenes.map { scene in
            let words = scene.text.split(whereSeparator: \.isWhitespace).count
            return Double(words) / (2.6 * speed) + 0.4
        }
    }

    /// The footage stage for one job: the spec's sources that are configured, and the best scorer
    /// available (a CLIP model if one is named or installed, else the metadata text scorer).
    func footageStage(for spec: JobSpec, probe: MediaProbe, stats: CacheStats) async -> FootageStage {
        let requests = RequestCounter()
        var notes: [String] = []
        var sources: [any FootageSource] = []
        let http = FootageHTTP(requests: requests, timeout: footage.requestTimeout)
        for name in spec.footage.sources {
            switch name {
            case "pexels":
                if let key = footage.pexelsKey {
                    sources.append(PexelsSource(apiKey: key, baseURL: footage.pexelsURL, http: http))
                } else {
                    notes.append("pexels skipped: set PEXELS_API_KEY to search it")
                }
            case "pixabay":
                if let key = footage.pixabayKey {
                    sources.append(PixabaySource(apiKey: key, baseURL: footage.pixabayURL, http: http))
                } else {
                    notes.append("pixabay skipped: set PIXABAY_API_KEY to search it")
                }
            case "youtube":
                sources.append(YouTubeSource(http: http, delay: footage.youtubeDelay))
            case "library":
                if !spec.library.isEmpty { sources.append(LocalLibrary(folders: spec.library)) }
            default:
                break
            }
        }
        let (scorer, scorerNote) = relevanceScorer(for: spec, stats: stats)
        var tuning = FootageStage.Tuning()
        tuning.shotSeconds = spec.footage.shotSeconds
        tuning.maxShotsPerScene = spec.footage.maxShots
        var stage = FootageStage(
            sources: sources,
            scorer: scorer,
            scorerNote: scorerNote,
            cache: FootageCache(disk: cache, mediaLimitBytes: footage.mediaCacheBytes),
            probe: probe,
            requests: requests,
            stats: stats,
            tuning: tuning,
            frameWidth: spec.aspect.width,
            frameHeight: spec.aspect.height
        )
        stage.skippedSources = notes
        return stage
    }

    /// The CLIP scorer for the spec's model (a folder, or an installed model's name), or the only
    /// installed model; otherwise the metadata scorer, with the reason.
    func relevanceScorer(for spec: JobSpec, stats: CacheStats) -> (any RelevanceScorer, String?) {
        let locations = voices.locations
        var folder: URL?
        if let named = spec.footage.clip {
            folder = named.hasPrefix("/") ? URL(fileURLWithPath: named) : locations.clipModel(named)
            if folder == nil {
                return (MetadataScorer(), "CLIP model \"\(named)\" is not installed (aishorts models add clip PATH); ranked by titles and tags")
            }
        } else {
            let installed = locations.clipModels
            if installed.count == 1 { folder = installed[0] }
            if installed.isEmpty {
                return (MetadataScorer(), "no CLIP model installed (aishorts models add clip PATH); ranked by titles and tags")
            }
            if installed.count > 1 {
                return (MetadataScorer(), "several CLIP models installed; name one in footage.clip; ranked by titles and tags")
            }
        }
        guard let folder else { return (MetadataScorer(), nil) }
        do {
            return (try ClipScorer(folder: folder, models: voices.models, cache: cache, stats: stats), nil)
        } catch {
            return (MetadataScorer(), "CLIP model at \(folder.path) unusable (\(error)); ranked by titles and tags")
        }
    }
}
