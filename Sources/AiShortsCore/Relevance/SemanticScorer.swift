import Foundation

/// Scores candidates by the meaning of their words, with a sentence-embedding model (all-MiniLM-L6-v2):
/// what ranks footage when the model is installed (the bootstrap installs it).
///
/// A scene's texts (its phrases and narration) and each candidate's description (everything its source
/// says of it: a Pexels page's slug, Pixabay's tags, a YouTube title and description, a library file's
/// name and tags) are embedded by the model, taken from the ``ModelManager`` (loaded on first use,
/// shared by concurrent jobs, released when idle) in batches of ``batchSize``. A candidate's score is
/// the cosine similarity of the two embeddings, so "a surfer riding a huge swell" fits "ocean waves"
/// though they share no word.
///
/// Embeddings are cached by content (the model's identity and the text) in the media index, or the
/// disk cache without one (``EmbeddingCache``), so scoring the same words again runs no model.
///
/// A description with no letter or digit (empty, emoji only) cannot be judged and scores -1, the lowest
/// possible; a very long one is cut to its first ``maxDescriptionCharacters`` characters (the model
/// reads 254 word pieces at most anyway).
///
/// The default ``threshold``, 0.40, is checked on the project's relevance set (`Tests/Data/relevance.json`,
/// 68 scenes in stock sites' words, `make bench`). After ``SceneScoring/combine(phrases:narration:)``,
/// relevant candidates score a median of 0.47 (quartiles 0.39 and 0.55), the others 0.24 (decoys that
/// share a word with the scene and near-misses reach 0.41 at the 90th percentile). At 0.40, 71 % of the
/// relevant candidates and 12 % of the others pass, and every scene but two keeps its best relevant
/// one. Both errors are equal near 0.37; the threshold stays above that because a clip that does not
/// fit is what users complain of, and a broader search or a generated background the lesser harm
/// (0.35 would let a quarter of the others through, 0.45 drop half of the relevant ones).
public struct SemanticScorer: RelevanceScorer {
    /// The model folder.
    public let model: TextEmbeddingModel
    /// Where the model is loaded and shared.
    public let models: ModelManager
    /// Where embeddings are kept between runs.
    public let cache: EmbeddingCache
    /// Texts embedded per model run.
    public let batchSize: Int
    /// Below this a candidate does not fit the scene.
    public let threshold: Double
    /// Intra-op threads the model runs with.
    public let threads: Int

    /// Characters of a description that are embedded; the rest is dropped before tokenising.
    public static let maxDescriptionCharacters = 2_000
    /// What the cache counts lookups as (`sentence embeddings`).
    static let cacheKind = "sentence"

    /// `semantic (NAME)`, NAME being the model folder's name.
    public var name: String { "semantic (\(model.name))" }

    /// Creates a scorer; loads nothing until the first scoring.
    ///
    /// - Parameters:
    ///   - batchSize: texts per model run (32 short texts take a few milliseconds each on one core).
    ///   - threads: intra-op threads; one by default, so concurrent jobs and narration keep the other cores.
    public init(model: TextEmbeddingModel, models: ModelManager, cache: EmbeddingCache, batchSize: Int = 32,
                threshold: Double = 0.40, threads: Int = 1) {
        self.model = model
        self.models = models
        self.cache = cache
        self.batchSize = max(1, batchSize)
        self.threshold = threshold
        self.threads = max(1, threads)
    }

    /// `result[t][c]`: the cosine similarity of text `t` with candidate `c`'s description (-1 when the
    /// description has no letter or digit, or a text has none).
    ///
    /// - Throws: ``ModelError`` or ``RelevanceError`` when the model cannot be loaded or run.
    public func scores(texts: [String], candidates: [RelevanceCandidate]) async throws -> [[Double]] {
        let descriptions = candidates.map { Self.description($0.text) }
        let judged = descriptions.filter { !$0.isEmpty } + texts.map { Self.description($0) }.filter { !$0.isEmpty }
        let vectors = try await embeddings(judged)
        var byText: [String: [Float]] = [:]
        for (text, vector) in zip(judged, vectors) { byText[text] = vector }
        return texts.map { text in
            guard let row = byText[Self.description(text)] else { return Array(repeating: -1, count: candidates.count) }
            return descriptions.map { description in
                byText[description].map { ClipEmbedding.cosine(row, $0) } ?? -1
            }
        }
    }

    /// One unit-length embedding per text, from the cache or the model (texts are used as given).
    public func embeddings(_ texts: [String]) async throws -> [[Float]] {
        let (request, batchSize) = (model.request(threads: threads), batchSize)
        return try await cache.textEmbeddings(texts, model: model.identity, kind: Self.cacheKind) { missing in
            try await models.withModel(request) { embedder in
                try EmbeddingCache.inBatches(missing, size: batchSize) { try embedder.embed($0) }
            }
        }
    }

    /// Loads the model once (through the manager, so the job's scoring reuses it), to find a missing or
    /// corrupt file before a job relies on it.
    ///
    /// - Throws: ``ModelError`` or ``RelevanceError`` with one line saying what is wrong.
    public func check() async throws {
        _ = try await models.withModel(model.request(threads: threads)) { embedder in
            try embedder.embed(["check"]).count
        }
    }

    /// The part of a text that is embedded: whitespace runs collapsed, at most
    /// ``maxDescriptionCharacters`` characters; empty when it has no letter or digit.
    static func description(_ text: String) -> String {
        let cut = text.count > maxDescriptionCharacters ? String(text.prefix(maxDescriptionCharacters)) : text
        guard cut.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else { return "" }
        return cut.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
