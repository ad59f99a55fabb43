// The library benchmark: a folder of the user's own footage (100 small pictures and 6 noisy 4 s
// full-HD clips, made by ffmpeg; noise makes them as large as camera footage) indexed with the tiny
// CLIP test export, as a job (or `aishorts library`) does.
//
// Measured in one run, each as a new process would see it (a fresh hash memo and model manager):
// (a) the first indexing: every file hashed, every picture decoded and embedded, rows written;
// (b) the next run with the media index: sizes and times compared, hashes and embeddings read back;
// (c) the next run as it was before the index existed: every file hashed again, each embedding read
//     from its own file in the disk cache. Reported: wall times, files read, embeddings computed, and
//     the ratio (c)/(b).
import AiShortsCore
import Foundation

func libraryBench(model: ClipModel, scratch: URL) async throws {
    let folder = scratch.appendingPathComponent("library")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let runner = ToolRunner(keptStderrLines: 20)
    func ffmpeg(_ arguments: [String]) async throws {
        let result = try await runner.run(.ffmpeg, arguments: ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"] + arguments)
        guard result.isSuccess else { throw RenderError(.ffmpegFailed, "library bench: ffmpeg failed: \(result.lastError)") }
    }
    try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=1:d=100", "-vf", "hue=h=t*3.6",
                      folder.appendingPathComponent("still-%03d.png").path])
    for index in 0..<6 {
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=4", "-vf", "noise=alls=20:allf=t,hue=h=\(index * 60)",
                          "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                          folder.appendingPathComponent("clip-\(index).mp4").path])
    }
    let files = LocalLibrary.mediaFiles(in: folder)
    let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
    let locations = ModelLocations(roots: [])

    func indexed(_ cache: DiskCache) async throws -> (LibraryIndexer.Result, Double, Int) {
        let digests = FileDigests()
        let models = ModelManager()
        let start = ContinuousClock.now
        let result = try await LibraryIndexer(index: try MediaIndex(in: cache), digests: digests)
            .index(folders: [folder], clip: model.folder.path, locations: locations, models: models, cache: cache)
        let seconds = (ContinuousClock.now - start).inSeconds
        await models.releaseIdleModels()
        return (result, seconds, await digests.hashedFiles)
    }
    let withIndex = DiskCache(root: scratch.appendingPathComponent("library-cache"))
    let (first, firstSeconds, firstHashed) = try await indexed(withIndex)
    let (second, secondSeconds, secondHashed) = try await indexed(withIndex)

    // Before the index: the embeddings as files (filled once, untimed), every file hashed each run.
    let fileCache = DiskCache(root: scratch.appendingPathComponent("library-files"))
    func withoutIndex() async throws -> (Double, Int, CacheCount) {
        let digests = FileDigests()
        let stats = CacheStats()
        let models = ModelManager()
        let scorer = ClipScorer(model: model, models: models, cache: EmbeddingCache(disk: fileCache, digests: digests, stats: stats), threads: 1)
        let start = ContinuousClock.now
        let pictures = LocalLibrary(folders: [folder]).allClips(limit: .max).map(LocalLibrary.picture(for:))
        _ = try await scorer.pictureEmbeddings(pictures)
        let seconds = (ContinuousClock.now - start).inSeconds
        await models.releaseIdleModels()
        return (seconds, await digests.hashedFiles, await stats.snapshot()["image embeddings"] ?? CacheCount())
    }
    _ = try await withoutIndex()
    let (oldSeconds, oldHashed, oldCount) = try await withoutIndex()

    say(String(format: "library bench (%d files, %.0f MB: 100 pictures, 6 full-HD clips; tiny CLIP):", files.count, Double(bytes) / 1_048_576))
    say(String(format: "  first indexing:                   %.2f s, %d files hashed, %d pictures embedded",
               firstSeconds, firstHashed, first.embedded))
    say(String(format: "  next run, media index:            %.3f s, %d files read, %d embedded, %d from the index",
               secondSeconds, secondHashed, second.embedded, second.alreadyEmbedded))
    say(String(format: "  next run, before the index:       %.3f s, %d files hashed again, %d embeddings from files (%d computed)",
               oldSeconds, oldHashed, oldCount.hits, oldCount.misses))
    say(String(format: "  the index makes a later run %.1f x faster", oldSeconds / secondSeconds))
}
