import Foundation

/// Embeddings (CLIP's and the sentence model's) kept between runs, keyed by content: pictures by the
/// model, the SHA-256 of the file's bytes and the frame time; texts by the model and the text.
///
/// With a ``MediaIndex`` the vectors live in its `embedding` table (one SQLite file, many small rows);
/// without one, in the ``DiskCache`` namespace `embeddings`, one little-endian float32 file each. A lookup
/// tries the index, then the folder. Each lookup is counted in the job's ``CacheStats`` as
/// `image embeddings`, `text embeddings` or `sentence embeddings`.
public struct EmbeddingCache: Sendable {
    /// Where entries are stored without an index; `nil` (and no index) keeps nothing: every lookup misses.
    public var disk: DiskCache?
    /// The database the vectors go to, when there is one.
    public var index: MediaIndex?
    /// Hashes picture files once per process.
    public var digests: FileDigests
    /// The job's hit and miss counts.
    public var stats: CacheStats

    /// The ``DiskCache`` namespace the embeddings use.
    public static let namespace = "embeddings"

    /// Creates a cache view for one job.
    public init(disk: DiskCache?, index: MediaIndex? = nil, digests: FileDigests = FileDigests(), stats: CacheStats = CacheStats()) {
        self.disk = disk
        self.index = index
        self.digests = digests
        self.stats = stats
    }

    /// The key of a picture's embedding, or `nil` when its file cannot be read (it then gets no score).
    func key(for picture: RelevancePicture, model: String) async -> String? {
        await key(for: picture, model: model) { try? await digests.sha256(of: $0) }
    }

    /// The key of a picture's embedding if its file's digest is already known; never reads the file.
    func knownKey(for picture: RelevancePicture, model: String) async -> String? {
        await key(for: picture, model: model) { await digests.knownSHA256(of: $0) }
    }

    private func key(for picture: RelevancePicture, model: String, digest: (URL) async -> String?) async -> String? {
        switch picture {
        case .image(let url):
            guard let sha = await digest(url) else { return nil }
            return DiskCache.key([model, sha, "image"])
        case .frame(let url, let time):
            guard let sha = await digest(url) else { return nil }
            return DiskCache.key([model, sha, String(format: "%.3f", time)])
        }
    }

    /// The key of a text's embedding.
    func key(forText text: String, model: String) -> String {
        DiskCache.key([model, "text", text])
    }

    /// The stored vector for `key`, counting the lookup under `kind` (`image` or `text`).
    func vector(_ key: String, kind: String) async -> [Float]? {
        var data = await index?.embedding(key)
        if data == nil { data = disk?.data(namespace: Self.namespace, key: key, extension: "f32") }
        let vector = data.flatMap(ClipEmbedding.vector)
        await stats.record("\(kind) embeddings", hit: vector != nil)
        return vector
    }

    /// Which of `keys` have a stored vector (the index and the folder); not counted as lookups.
    func stored(among keys: [String]) async -> Set<String> {
        var found = await index?.embeddedKeys(among: keys) ?? []
        if let disk {
            for key in keys where !found.contains(key) {
                if FileManager.default.fileExists(atPath: disk.url(namespace: Self.namespace, key: key, extension: "f32").path) { found.insert(key) }
            }
        }
        return found
    }

    /// Stores vectors (in one transaction when there is an index); a failed write only costs a later recomputation.
    func store(_ entries: [(key: String, vector: [Float])]) async {
        if let index {
            await index.storeEmbeddings(entries.map { ($0.key, ClipEmbedding.data($0.vector)) })
            return
        }
        for entry in entries {
            _ = try? disk?.store(ClipEmbedding.data(entry.vector), namespace: Self.namespace, key: entry.key, extension: "f32")
        }
    }
}

extension EmbeddingCache {
    /// One embedding per text (`[]` where `compute` gave none): stored ones from the cache, the rest from
    /// `compute`, which gets every missing text once, and then stored. Both text towers (CLIP's and the
    /// sentence model) embed this way; `kind` names their lookups in the job's stats.
    ///
    /// Missing texts go to `compute` shortest first: texts of a batch are padded to the longest, so
    /// similar lengths together pad little.
    func textEmbeddings(_ texts: [String], model identity: String, kind: String,
                        compute: ([String]) async throws -> [[Float]]) async throws -> [[Float]] {
        var found: [String: [Float]] = [:]
        var missing: [String] = []
        for text in Set(texts).sorted() {
            if let vector = await vector(key(forText: text, model: identity), kind: kind) {
                found[text] = vector
            } else {
                missing.append(text)
            }
        }
        if !missing.isEmpty {
            missing.sort { $0.utf8.count == $1.utf8.count ? $0 < $1 : $0.utf8.count < $1.utf8.count }
            let computed = try await compute(missing)
            for (text, vector) in zip(missing, computed) { found[text] = vector }
            await store(zip(missing, computed).map { (key(forText: $0.0, model: identity), $0.1) })
        }
        return texts.map { found[$0] ?? [] }
    }

    /// `embed` over `items` in runs of at most `size`, the results in order; a cancelled task stops
    /// between runs.
    static func inBatches<Item>(_ items: [Item], size: Int, _ embed: ([Item]) throws -> [[Float]]) throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(items.count)
        for start in stride(from: 0, to: items.count, by: max(1, size)) {
            try Task.checkCancellation()
            vectors += try embed(Array(items[start..<min(start + max(1, size), items.count)]))
        }
        return vectors
    }
}
