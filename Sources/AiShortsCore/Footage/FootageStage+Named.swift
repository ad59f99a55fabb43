import Foundation

extension FootageStage {
    /// Probes every file the scenes name (at most four at once); any unusable one stops the job with a
    /// ``FootageError`` naming it, since the spec asked for exactly that file.
    func probeNamedMedia(_ scenes: [Scene]) async throws -> [Int: [Visual]] {
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
}
