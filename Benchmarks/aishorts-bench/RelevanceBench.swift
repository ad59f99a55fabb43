// The relevance benchmark: the hand-written relevance set (Tests/Data/relevance.json, 68 scenes of
// 9 candidates described as Pexels, Pixabay, YouTube and a library describe clips) ranked by the
// metadata scorer and by the semantic scorer (all-MiniLM-L6-v2, int8, one intra-op thread), in one run.
//
// Reported: top-1 (the best-scored candidate is relevant) and top-3 accuracy of each, and time per
// scene: the metadata scorer; the semantic scorer cold (the model loaded, every embedding computed
// and stored in a fresh media index) and warm (a new scorer over the same index: every embedding read
// back, no model run). The model's load is reported on its own line.
import AiShortsCore
import AiShortsTestSupport
import Foundation

func relevanceBench(root: URL) async throws {
    let set = try RelevanceSet.load(root: root)
    let folder = root.appendingPathComponent(".deps/models/embedding/\(TextEmbeddingModel.defaultName)")
    let model = try TextEmbeddingModel(folder: folder)
    let candidates = set.scenes.reduce(0) { $0 + $1.candidates.count }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-relevance-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let cache = DiskCache(root: scratch)
    let index = try MediaIndex(in: cache)

    // CPU time as well as wall time: this machine is shared, and the process's CPU seconds (one
    // intra-op thread) say what a scene costs on one core of its own.
    var cpu: [String: Double] = [:]
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
        let micros = usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
        return Double(seconds) + Double(micros) / 1_000_000
    }
    func timed<T>(_ label: String = "", _ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let startCPU = cpuSeconds()
        let value = try await body()
        cpu[label] = cpuSeconds() - startCPU
        return (value, (ContinuousClock.now - start).inSeconds)
    }
    let scenes = Double(set.scenes.count)
    let (metadata, metadataSeconds) = try await timed { try await set.rank(with: MetadataScorer()) }

    let models = ModelManager()
    let loadScorer = SemanticScorer(model: model, models: models, cache: EmbeddingCache(disk: nil))
    let (_, loadSeconds) = try await timed { try await loadScorer.check() }
    let coldStats = CacheStats()
    let cold = SemanticScorer(model: model, models: models, cache: EmbeddingCache(disk: cache, index: index, stats: coldStats))
    let (semantic, coldSeconds) = try await timed("cold") { try await set.rank(with: cold) }
    let warmStats = CacheStats()
    let warm = SemanticScorer(model: model, models: models, cache: EmbeddingCache(disk: cache, index: index, stats: warmStats))
    let (again, warmSeconds) = try await timed("warm") { try await set.rank(with: warm) }
    await models.releaseIdleModels()
    let coldCount = await coldStats.snapshot()["sentence embeddings"] ?? CacheCount()
    let warmCount = await warmStats.snapshot()["sentence embeddings"] ?? CacheCount()

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
    print("relevance benchmark (\(set.scenes.count) scenes, \(candidates) candidates; one thread)")
    print(String(format: "  metadata scorer        : top-1 %5.1f %%  top-3 %5.1f %%   %6.2f ms/scene",
                 metadata.top1Share * 100, metadata.top3Share * 100, metadataSeconds * 1000 / scenes))
    print(String(format: "  semantic (%@): top-1 %5.1f %%  top-3 %5.1f %%   cold %6.2f ms/scene (%d embedded), warm %5.2f ms/scene (%d from the index)",
                 model.name, semantic.top1Share * 100, semantic.top3Share * 100, coldSeconds * 1000 / scenes, coldCount.misses,
                 warmSeconds * 1000 / scenes, warmCount.hits))
    print(String(format: "  semantic CPU time      : cold %6.2f ms/scene, warm %5.2f ms/scene (the process's CPU seconds: one core's work)",
                 (cpu["cold"] ?? 0) * 1000 / scenes, (cpu["warm"] ?? 0) * 1000 / scenes))
    print(String(format: "  model load (once)      : %6.0f ms", loadSeconds * 1000))
    print(String(format: "  top-1 gain             : %+5.1f points   (targets: top-1 >= 85 %%, >= 25 points above metadata, <= 20 ms/scene warm)",
                 (semantic.top1Share - metadata.top1Share) * 100))
    print(String(format: "  semantic scores        : relevant median %.3f, others median %.3f (threshold %.2f)",
                 median(semantic.relevantScores), median(semantic.otherScores), cold.threshold))
    func share(_ values: [Double], atLeast threshold: Double) -> Double {
        Double(values.filter { $0 >= threshold }.count) * 100 / Double(max(1, values.count))
    }
    print(String(format: "  at the threshold       : %.0f %% of relevant candidates pass, %.0f %% of the others",
                 share(semantic.relevantScores, atLeast: cold.threshold), share(semantic.otherScores, atLeast: cold.threshold)))
    if again.top1 != semantic.top1 { print("  warning: the warm run ranked differently from the cold one") }
    for miss in semantic.misses { print("  semantic miss: \"\(miss.query)\" -> \(miss.chosen)") }
}
