public import Foundation

/// Scores candidates by how well their pictures fit the words, with a CLIP model.
///
/// Texts and pictures are embedded by CLIP's two towers (taken from the ``ModelManager``: loaded on
/// first use, shared by concurrent jobs, released when idle), in batches of ``batchSize``; pictures
/// are decoded by ffmpeg (``ClipPictureDecoder``). A candidate's score for a text is the cosine
/// similarity of the text's embedding with its best picture. A picture that cannot be read or
/// decoded has no embedding; a candidate with none scores -1, the lowest possible.
///
/// Embeddings are cached on disk by content (``EmbeddingCache``), so scoring the same pictures and
/// texts again runs neither ffmpeg nor a model.
///
/// The default ``threshold``, 0.22, is for real CLIP models (ViT-B/32 and similar): their cosine
/// similarities are compressed, a picture that shows what the text says typically scores 0.25–0.35
/// and an unrelated one 0.10–0.20.
public struct ClipScorer: RelevanceScorer {
    /// The model folder.
    public let model: ClipModel
    /// Where the two towers are loaded and shared.
    public let models: ModelManager
    /// Where embeddings are kept between runs.
    public let cache: EmbeddingCache
    /// Texts or pictures embedded per model run.
    public let batchSize: Int
    /// Below this cosine similarity a picture does not fit the text.
    public let threshold: Double
    /// Intra-op threads each tower runs with.
    public let threads: Int
    /// Decodes pictures to the model's input.
    let decoder: ClipPictureDecoder

    /// `clip (NAME)`, NAME being the model folder's name.
    public var name: String { "clip (\(model.name))" }
    /// `true`: CLIP judges pictures, so downloaded clips are re-scored on their own frames.
    public var judgesPictures: Bool { true }

    /// Creates a scorer; loads nothing until the first scoring.
    ///
    /// - Parameters:
    ///   - batchSize: inputs per model run (16 keeps a ViT-B/32 batch of pictures under 10 MB of input).
    ///   - threads: intra-op threads per tower; the default uses the machine's cores (up to 4).
    ///   - ffmpeg: the ffmpeg that decodes pictures.
    public init(model: ClipModel, models: ModelManager, cache: EmbeddingCache, batchSize: Int = 16,
                threshold: Double = 0.22, threads: Int = min(4, ProcessInfo.processInfo.activeProcessorCount),
                ffmpeg: Tool = .ffmpeg) {
        self.model = model
        self.models = models
        self.cache = cache
        self.batchSize = max(1, batchSize)
        self.threshold = threshold
        self.threads = max(1, threads)
        decoder = ClipPictureDecoder(size: model.imageSize, mean: model.imageMean, std: model.imageStd, ffmpeg: ffmpeg)
    }

    /// `result[t][c]`: the cosine similarity of text `t` with candidate `c`'s best picture (-1 when none decodes).
    ///
    /// - Throws: ``ModelError`` or ``RelevanceError`` when a tower cannot be loaded or run,
    ///   ``ToolError`` when ffmpeg cannot be run at all.
    public func scores(texts: [String], candidates: [RelevanceCandidate]) async throws -> [[Double]] {
        let pictures = Array(Set(candidates.flatMap(\.pictures))).sorted { "\($0)" < "\($1)" }
        let textVectors = try await textEmbeddings(texts)
        let pictureVectors = try await pictureEmbeddings(pictures)
        var byPicture: [RelevancePicture: [Float]] = [:]
        for (picture, vector) in zip(pictures, pictureVectors) where vector != nil {
            byPicture[picture] = vector
        }
        return textVectors.map { text in
            candidates.map { candidate in
                candidate.pictures.compactMap { byPicture[$0] }.map { ClipEmbedding.cosine(text, $0) }.max() ?? -1
            }
        }
    }

    /// Embeds pictures into the embedding cache ahead of scoring; errors are left for ``scores(texts:candidates:)``.
    public func prepare(_ pictures: [RelevancePicture]) async {
        _ = try? await pictureEmbeddings(pictures)
    }

    /// The pictures whose embeddings the cache holds for this model, among those whose files' hashes
    /// are already known (the media index tells them): nothing is read or counted as a lookup.
    public func prepared(_ pictures: [RelevancePicture]) async -> Set<RelevancePicture> {
        let identity = model.visionIdentity
        var keys: [String: RelevancePicture] = [:]
        for picture in pictures {
            if let key = await cache.knownKey(for: picture, model: identity) { keys[key] = picture }
        }
        return Set(await cache.stored(among: Array(keys.keys)).compactMap { keys[$0] })
    }

    /// One unit-length embedding per text, from the cache or the text tower.
    public func textEmbeddings(_ texts: [String]) async throws -> [[Float]] {
        let (request, batchSize) = (model.textRequest(threads: threads), batchSize)
        return try await cache.textEmbeddings(texts, model: model.textIdentity, kind: "text") { missing in
            try await models.withModel(request) { encoder in
                try EmbeddingCache.inBatches(missing, size: batchSize) { try encoder.embed($0) }
            }
        }
    }

    /// One unit-length embedding per picture, `nil` for a picture that cannot be read or decoded.
    public func pictureEmbeddings(_ pictures: [RelevancePicture]) async throws -> [[Float]?] {
        let identity = model.visionIdentity
        var result = [[Float]?](repeating: nil, count: pictures.count)
        var missing: [(index: Int, key: String)] = []
        for (index, picture) in pictures.enumerated() {
            guard let key = await cache.key(for: picture, model: identity) else { continue }
            if let vector = await cache.vector(key, kind: "image") {
                result[index] = vector
            } else {
                missing.append((index, key))
            }
        }
        guard !missing.isEmpty else { return result }
        let size = model.imageSize
        let batchSize = batchSize
        let decoder = decoder
        let computed = try await models.withModel(model.visionRequest(threads: threads)) { encoder in
            var computed: [Int: [Float]] = [:]
            for start in stride(from: 0, to: missing.count, by: batchSize) {
                let batch = Array(missing[start..<min(start + batchSize, missing.count)])
                let pixels = try await decoder.decode(batch.map { pictures[$0.index] })
                // Undecodable pictures drop out of the batch; the rest still run together.
                let decoded = batch.indices.compactMap { position in pixels[position].map { (position, $0) } }
                guard !decoded.isEmpty else { continue }
                let vectors = try encoder.embed(pixels: decoded.flatMap(\.1), count: decoded.count, size: size)
                for ((position, _), vector) in zip(decoded, vectors) { computed[batch[position].index] = vector }
            }
            return computed
        }
        var stored: [(key: String, vector: [Float])] = []
        for (index, key) in missing {
            guard let vector = computed[index] else { continue }
            result[index] = vector
            stored.append((key, vector))
        }
        await cache.store(stored)
        return result
    }
}
