public import Foundation

/// Indexes the user's library ahead of jobs: hashes new and changed files, and embeds their pictures
/// with CLIP (when a model is installed) into the ``MediaIndex``, so later jobs neither read the files
/// nor run the vision model for them.
public struct LibraryIndexer: Sendable {
    /// What one indexing run did.
    public struct Result: Sendable, Hashable, Codable {
        /// The files found, hashed and removed.
        public var scan: LibraryScan
        /// The CLIP scorer that embedded pictures, `nil` when none is installed or `metadata` was asked for.
        public var scorer: String?
        /// Why nothing was embedded, when ``scorer`` is `nil`.
        public var note: String?
        /// Pictures embedded now.
        public var embedded: Int
        /// Pictures whose embedding the index already had.
        public var alreadyEmbedded: Int
        /// Pictures ffmpeg could not decode (they get no picture score; their names still match).
        public var undecodable: Int
    }

    /// Where hashes and embeddings are kept.
    public let index: MediaIndex
    /// The process's memo of file hashes; filled from the index.
    public let digests: FileDigests
    /// Pictures embedded per step (bounds the decoded pixels held at once).
    public var step = 64

    /// Creates an indexer.
    public init(index: MediaIndex, digests: FileDigests) {
        self.index = index
        self.digests = digests
    }

    /// Refreshes the index of `folders` and embeds every file's picture not embedded yet.
    ///
    /// Without a CLIP model nothing is read: hashes only serve content-keyed embeddings, and jobs match
    /// library files by name and tags. ``Result/note`` then says so and ``Result/scan`` lists the files
    /// with no counts.
    /// - Parameters:
    ///   - clip: the CLIP model to use, as in a spec's `footage.clip` (`nil`: the first installed).
    ///   - cache: the cache folder (for embeddings of a model the index does not have yet, and probes).
    /// - Throws: ``FootageError`` (`indexUnavailable`), ``RelevanceError`` for a CLIP model that is not
    ///   installed or broken, ``ModelError`` when it cannot be loaded, `CancellationError`.
    public func index(folders: [URL], clip: String?, locations: ModelLocations, models: ModelManager,
                      cache: DiskCache) async throws -> Result {
        let stats = CacheStats()
        let embeddings = EmbeddingCache(disk: cache, index: index, digests: digests, stats: stats)
        let selection = try RelevanceSelection.choose(clip: clip, locations: locations, models: models, cache: embeddings)
        guard let scorer = selection.clipScorer else {
            let files = LocalLibrary(folders: folders).allClips(limit: .max).map(\.media)
            let scan = LibraryScan(files: files, added: 0, changed: 0, unchanged: 0, removed: 0, unreadable: [])
            let note = selection.note ?? "no CLIP model installed: jobs match library files by the meaning of their names and tags (\(selection.scorer.name))"
            return Result(scan: scan, scorer: nil, note: note, embedded: 0, alreadyEmbedded: 0, undecodable: 0)
        }
        let scan = try await index.refreshLibrary(folders: folders, digests: digests)
        var result = Result(scan: scan, scorer: scorer.name, note: nil, embedded: 0, alreadyEmbedded: 0, undecodable: 0)
        let library = LocalLibrary(folders: folders, files: scan.files)
        let pictures = library.allClips(limit: .max).map(LocalLibrary.picture(for:))
        for start in stride(from: 0, to: pictures.count, by: max(1, step)) {
            try Task.checkCancellation()
            let vectors = try await scorer.pictureEmbeddings(Array(pictures[start..<min(start + step, pictures.count)]))
            result.undecodable += vectors.filter { $0 == nil }.count
        }
        let count = await stats.snapshot()["image embeddings"] ?? CacheCount()
        result.alreadyEmbedded = count.hits
        result.embedded = count.misses - result.undecodable
        return result
    }
}
