public import Foundation

/// The footage stage: decides which pictures every scene shows.
///
/// A scene's own `media` always wins; every file it names must be readable, or the job stops with a
/// ``FootageError`` naming the file. Other scenes ask every ``FootageSource`` at once (all scenes and
/// all sources concurrently), then take the best candidates in scene order so no file is shown twice.
/// A scene nothing fits gets a generated moving background: the job always finishes.
public struct FootageGatherer: Sendable {
    /// Where unnamed footage is searched.
    public var sources: [any SceneFootageSource]
    /// Validates and measures files.
    public var probe: MediaProbe
    /// At most this many library pictures per scene.
    public var maxPerScene: Int

    /// Creates the stage.
    public init(sources: [any SceneFootageSource], probe: MediaProbe, maxPerScene: Int = 2) {
        self.sources = sources
        self.probe = probe
        self.maxPerScene = maxPerScene
    }

    /// Chooses footage for every scene.
    ///
    /// - Throws: ``FootageError`` for unusable files a scene names; ``ToolError`` when ffprobe is missing.
    ///   A source that fails is not fatal: that scene falls back.
    public func gather(_ scenes: [Scene]) async throws -> [SceneFootage] {
        let named = try await probeNamedMedia(scenes)
        let candidates = await search(scenes)
        var used = Set(named.values.flatMap { $0.compactMap(Self.url(of:)) })
        var result: [SceneFootage] = []
        for (index, scene) in scenes.enumerated() {
            if let visuals = named[index] {
                result.append(SceneFootage(scene: index, visuals: visuals, origin: "spec", note: "\(visuals.count) file(s) named by the spec"))
                continue
            }
            var chosen: [Visual] = []
            var reasons: [String] = []
            var skipped: [String] = []
            for candidate in candidates[index] ?? [] where chosen.count < maxPerScene && !used.contains(candidate.url) {
                switch try await probe.probe(candidate.url) {
                case .readable(let info) where info.kind != .audio:
                    chosen.append(Self.visual(candidate.url, info))
                    used.insert(candidate.url)
                    reasons.append("\(candidate.url.lastPathComponent) (\(candidate.reason))")
                case .readable:
                    skipped.append("\(candidate.url.lastPathComponent): no picture")
                case .unreadable(let reason):
                    skipped.append("\(candidate.url.lastPathComponent): \(reason)")
                }
            }
            let skippedNote = skipped.isEmpty ? "" : "; skipped " + skipped.joined(separator: ", ")
            if chosen.isEmpty {
                let words = scene.queries.isEmpty ? "its words" : "queries \(scene.queries.joined(separator: ", "))"
                result.append(SceneFootage(
                    scene: index,
                    visuals: [.generated(seed: index)],
                    origin: "generated",
                    note: "no footage matched \(words); using a generated background\(skippedNote)"
                ))
            } else {
                result.append(SceneFootage(scene: index, visuals: chosen, origin: "library", note: reasons.joined(separator: ", ") + skippedNote))
            }
        }
        return result
    }

    private func probeNamedMedia(_ scenes: [Scene]) async throws -> [Int: [Visual]] {
        var jobs: [(scene: Int, slot: Int, url: URL)] = []
        for (index, scene) in scenes.enumerated() {
            var slot = 0
            for item in scene.media {
                let files = LocalLibrary.mediaFiles(in: item)
                guard !files.isEmpty else {
                    throw FootageError(.emptyFolder, file: item.path, message: "scene \(index + 1): folder \(item.path) holds no videos or pictures; add some or remove it from media")
                }
                for file in files {
                    jobs.append((index, slot, file))
                    slot += 1
                }
            }
        }
        let probe = self.probe
        return try await withThrowingTaskGroup(of: (Int, Int, Visual).self) { group in
            var next = 0
            var found: [Int: [(Int, Visual)]] = [:]
            func add() {
                let job = jobs[next]
                next += 1
                group.addTask {
                    switch try await probe.probe(job.url) {
                    case .readable(let info) where info.kind != .audio:
                        return (job.scene, job.slot, Self.visual(job.url, info))
                    case .readable:
                        throw FootageError(.noPicture, file: job.url.path, message: "scene \(job.scene + 1): \(job.url.path) has sound but no picture; use a video or an image")
                    case .unreadable(let reason):
                        throw FootageError(.unreadableMedia, file: job.url.path, message: "scene \(job.scene + 1): cannot read \(job.url.path) (\(reason)); replace it with a working video or image, or remove it")
                    }
                }
            }
            for _ in 0..<min(4, jobs.count) { add() }
            while let (scene, slot, visual) = try await group.next() {
                found[scene, default: []].append((slot, visual))
                if next < jobs.count { add() }
            }
            return found.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
        }
    }

    private func search(_ scenes: [Scene]) async -> [Int: [FootageCandidate]] {
        let wanted = scenes.enumerated().filter { $0.element.media.isEmpty }
        guard !sources.isEmpty, !wanted.isEmpty else { return [:] }
        return await withTaskGroup(of: (Int, [FootageCandidate]).self) { group in
            for (index, scene) in wanted {
                for source in sources {
                    group.addTask {
                        let request = FootageRequest(scene: index, text: scene.text, queries: scene.queries)
                        return (index, (try? await source.candidates(for: request)) ?? [])
                    }
                }
            }
            var merged: [Int: [FootageCandidate]] = [:]
            for await (index, found) in group { merged[index, default: []].append(contentsOf: found) }
            return merged.mapValues { $0.sorted { $0.score != $1.score ? $0.score > $1.score : $0.url.path < $1.url.path } }
        }
    }

    static func visual(_ url: URL, _ info: MediaInfo) -> Visual {
        if info.kind == .video, let duration = info.duration, duration > 0.1 { return .video(url, duration: duration) }
        return .still(url)
    }

    static func url(of visual: Visual) -> URL? {
        switch visual {
        case .video(let url, _), .still(let url): url
        case .generated: nil
        }
    }
}

/// The first issue's library matcher interface; replaced by ``FootageSource`` in the footage stage.
public protocol SceneFootageSource: Sendable {
    /// The source's name in reports.
    var name: String { get }

    /// Candidates for one scene, best first; an empty list is a normal answer.
    func candidates(for request: FootageRequest) async throws -> [FootageCandidate]
}
