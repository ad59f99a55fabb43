import AiShortsTestSupport
import Foundation
import Testing

@testable import AiShortsCore

/// The sentence-embedding model (all-MiniLM-L6-v2 from `make bootstrap`) and the scorer built on it:
/// embeddings against Python onnxruntime + numpy, ranking on the relevance set, bad input, the cache
/// and the model manager.
@Suite("SemanticScorer")
struct SemanticScorerTests {
    static let folder = BertTokenizerTests.folder

    static func model() throws -> TextEmbeddingModel {
        try #require(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.onnx").path),
                     "needs \(folder.path): run `make bootstrap`")
        return try TextEmbeddingModel(folder: folder)
    }

    static func scorer(_ models: ModelManager = ModelManager(), cache: EmbeddingCache = EmbeddingCache(disk: nil)) throws -> SemanticScorer {
        SemanticScorer(model: try model(), models: models, cache: cache)
    }

    static let texts = [
        "Leafcutter ants don't eat the leaves they carry: they farm a fungus on them.", "close up of leafcutter ants carrying leaves",
        "ants on kitchen counter", "aerial view of a traffic jam", "rush hour in the city", "a surfer riding a huge swell",
        "ocean waves", "", "🚀🌕", "Über den Wolken: Flugzeug im Sonnenuntergang", "東京タワーの夜景", "Привет, мир",
        String(repeating: "a very long description of a drone flight over the mountains, ", count: 60), "4K 60fps | stock footage",
    ]

    /// Python's embeddings: PyPI tokenizers with the model's tokenizer.json (truncation 256, each text
    /// run alone), onnxruntime, numpy mean pooling over the mask, L2 normalisation.
    static let script = """
        import json, sys
        import numpy as np, onnxruntime as ort
        from tokenizers import Tokenizer
        folder = sys.argv[2]
        tokenizer = Tokenizer.from_file(folder + "/tokenizer.json")
        tokenizer.no_padding()
        tokenizer.enable_truncation(256)
        session = ort.InferenceSession(folder + "/model.onnx", providers=["CPUExecutionProvider"])
        out = []
        for text in json.load(open(sys.argv[1], encoding="utf-8")):
            encoding = tokenizer.encode(text)
            ids = np.array([encoding.ids], dtype=np.int64)
            mask = np.array([encoding.attention_mask], dtype=np.int64)
            states = session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
            out.append(pooled[0].tolist())
        json.dump(out, sys.stdout)
        """

    @Test("embeddings match Python onnxruntime + numpy mean pooling (cosine >= 0.999), batched or alone")
    func matchesReference() async throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-minilm-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONEncoder().encode(Self.texts).write(to: input)
        let result = try await TinyClip.python(["-c", Self.script, input.path, Self.folder.path])
        let reference = try JSONDecoder().decode([[Float]].self, from: result.stdout)
        let model = try Self.model()
        let models = ModelManager()
        let (batched, alone) = try await models.withModel(model.request(threads: 1)) { embedder in
            (try embedder.embed(Self.texts), try Self.texts.map { try embedder.embed([$0])[0] })
        }
        for (index, text) in Self.texts.enumerated() {
            #expect(batched[index].count == 384)
            #expect(ClipEmbedding.cosine(batched[index], reference[index]) >= 0.999, "batched \(text.prefix(40).debugDescription)")
            #expect(ClipEmbedding.cosine(alone[index], reference[index]) >= 0.999, "alone \(text.prefix(40).debugDescription)")
        }
    }

    @Test("meaning matches meaning: paraphrases outrank decoys that share a word")
    func ranksParaphrases() async throws {
        let scorer = try Self.scorer()
        let candidates = ["close-up of leafcutter ants carrying leaves", "ants on kitchen counter", "person carrying a box of groceries",
                          "aerial view of a traffic jam", "surfer riding a huge swell"].map { RelevanceCandidate(pictures: [], text: $0) }
        let scores = try await scorer.scores(
            texts: ["Leafcutter ants don't eat the leaves they carry: they farm a fungus on them.", "rush hour in the city", "ocean waves"],
            candidates: candidates)
        #expect(scores[0].firstIndex(of: scores[0].max()!) == 0, "\(scores[0])")
        #expect(scores[1].firstIndex(of: scores[1].max()!) == 3, "\(scores[1])")
        #expect(scores[2].firstIndex(of: scores[2].max()!) == 4, "\(scores[2])")
        #expect(scores[0][0] >= scorer.threshold && scores[0][2] < scorer.threshold)
    }

    @Test("on the relevance set: top-1 >= 85 %, at least 25 points above the metadata scorer")
    func relevanceSet() async throws {
        let set = try RelevanceSet.load(root: Fixtures.packageRoot)
        #expect(set.scenes.count >= 60 && set.scenes.allSatisfy { (8...12).contains($0.candidates.count) })
        let semantic = try await set.rank(with: try Self.scorer())
        let metadata = try await set.rank(with: MetadataScorer())
        #expect(semantic.top1Share >= 0.85, "\(semantic.misses)")
        #expect(semantic.top1Share >= metadata.top1Share + 0.25, "semantic \(semantic.top1), metadata \(metadata.top1)")
        #expect(semantic.top3 >= semantic.top1)
    }

    @Test("empty, emoji-only, 10,000-character and non-English descriptions: scored or skipped (-1), never a crash")
    func badInput() async throws {
        let scorer = try Self.scorer()
        let texts = ["", "🎬🎥🔥", String(repeating: "rocket launch at dawn over the sea, ", count: 280), "Fusée décollant à l'aube", "ロケット打ち上げ", "   "]
        let candidates = texts.map { RelevanceCandidate(pictures: [], text: $0) }
        let scores = try await scorer.scores(texts: ["a rocket launch", "🚀"], candidates: candidates)
        #expect(scores[0][0] == -1 && scores[0][1] == -1 && scores[0][5] == -1)
        #expect((-1...1).contains(scores[0][2]) && scores[0][2] > 0.2, "\(scores[0])")
        #expect((-1...1).contains(scores[0][3]) && (-1...1).contains(scores[0][4]))
        #expect(scores[1].allSatisfy { $0 == -1 }, "a scene text with no word matches nothing")
    }

    @Test("embeddings are cached by content: scoring again runs no model; the model is released when idle")
    func cachesAndReleases() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let cache = DiskCache(root: fixtures.url("cache"))
        let index = try MediaIndex(in: cache)
        let models = ModelManager(configuration: .init(idleRelease: .zero))
        let model = try Self.model()
        let candidates = ["honey dripping from a dipper", "bees on a honeycomb"].map { RelevanceCandidate(pictures: [], text: $0) }

        let first = CacheStats()
        let cold = try await Self.scorer(models, cache: EmbeddingCache(disk: cache, index: index, stats: first))
            .scores(texts: ["honey jar"], candidates: candidates)
        #expect(await first.snapshot()["sentence embeddings"] == CacheCount(hits: 0, misses: 3))
        #expect(await models.isLoaded(model.request(threads: 1).id) == false)

        let second = CacheStats()
        let warm = try await Self.scorer(models, cache: EmbeddingCache(disk: cache, index: index, stats: second))
            .scores(texts: ["honey jar"], candidates: candidates)
        #expect(await second.snapshot()["sentence embeddings"] == CacheCount(hits: 3, misses: 0))
        #expect(warm == cold)
        #expect(await models.usageReport().map(\.loads) == [1])
    }
}
