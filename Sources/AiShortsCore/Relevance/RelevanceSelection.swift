import Foundation

/// Which relevance scorer a job uses, and the lines its run report shows about that choice.
///
/// - The sentence-embedding model (`embedding/all-MiniLM-L6-v2`, installed by the bootstrap) makes the
///   ``SemanticScorer`` the default.
/// - A CLIP model named in the config (an installed name, or a folder path) is used, and a name that is
///   not installed is an error; with no name, the first installed CLIP model is used. With the semantic
///   model too, both score together (``CombinedScorer``).
/// - With neither, or the name `metadata`, the ``MetadataScorer`` is used, and ``note`` says so.
///
/// A sentence-embedding model whose folder lacks a file is not an error: ``warning`` says so and the
/// job goes on with CLIP or metadata. A corrupt model file is found by ``checked()``, which loads it.
public struct RelevanceSelection: Sendable {
    /// The scorer to use.
    public var scorer: any RelevanceScorer
    /// A line for the run report when the job falls back to metadata; `nil` when a model is used.
    public var note: String?
    /// One line for the user when an installed model could not be used (the job goes on without it).
    public var warning: String?
    /// The CLIP scorer inside ``scorer``, when CLIP takes part (library indexing embeds with it).
    public var clipScorer: ClipScorer?

    /// The report's line when no model is installed.
    static let noModelNote = "no CLIP model installed, nor a sentence-embedding model: footage matched by titles, tags and descriptions (metadata); run `make bootstrap`, see `aishorts models add --help`"

    /// Chooses the scorer.
    ///
    /// - Parameters:
    ///   - clip: the configured CLIP model (`vit-b-32`, a folder path, `metadata`), or `nil`.
    ///   - locations: where installed models are looked for.
    ///   - models: the process's model manager, which loads the models.
    ///   - cache: the job's embedding cache.
    /// - Throws: ``RelevanceError`` (`modelMissing`) for a CLIP name that is not installed, (`badModelFolder`)
    ///   for a folder that is not a CLIP export.
    public static func choose(clip: String?, locations: ModelLocations, models: ModelManager,
                              cache: EmbeddingCache) throws(RelevanceError) -> RelevanceSelection {
        if clip == "metadata" {
            return RelevanceSelection(scorer: MetadataScorer(), note: "footage matched by titles, tags and descriptions (metadata), as configured")
        }
        var semantic: SemanticScorer?
        var warning: String?
        if let folder = locations.textEmbeddingModels.first {
            do {
                semantic = SemanticScorer(model: try TextEmbeddingModel(folder: folder), models: models, cache: cache)
            } catch {
                warning = "the sentence-embedding model cannot be used: \(error.message)"
            }
        }
        let folder: URL?
        if let clip {
            guard let found = locations.clipModel(clip) else {
                let installed = locations.clipModels.map(\.lastPathComponent)
                let list = installed.isEmpty ? "none is installed" : "installed: \(installed.joined(separator: ", "))"
                throw RelevanceError(.modelMissing, "no CLIP model \"\(clip)\" (\(list)); install one with `aishorts models add clip PATH`")
            }
            folder = found
        } else {
            folder = locations.clipModels.first
        }
        let clipScorer = try folder.map { folder throws(RelevanceError) in
            ClipScorer(model: try ClipModel(folder: folder), models: models, cache: cache)
        }
        switch (clipScorer, semantic) {
        case (let clipScorer?, let semantic?):
            return RelevanceSelection(scorer: CombinedScorer(clip: clipScorer, semantic: semantic), clipScorer: clipScorer)
        case (let clipScorer?, nil):
            return RelevanceSelection(scorer: clipScorer, warning: warning.map { $0 + "; footage matched by CLIP alone" }, clipScorer: clipScorer)
        case (nil, let semantic?):
            return RelevanceSelection(scorer: semantic)
        case (nil, nil):
            return RelevanceSelection(scorer: MetadataScorer(), note: noModelNote,
                                      warning: warning.map { $0 + "; footage matched by titles, tags and descriptions (metadata)" })
        }
    }

    /// This selection once the sentence-embedding model has been loaded (through the manager, so the
    /// job's scoring reuses it): unchanged when it loads, else without it (CLIP alone, or metadata) and
    /// with a ``warning`` saying why. Never throws; cancellation leaves the selection as it is.
    public func checked() async -> RelevanceSelection {
        let semantic = (scorer as? SemanticScorer) ?? (scorer as? CombinedScorer)?.semantic
        guard let semantic else { return self }
        do {
            try await semantic.check()
            return self
        } catch is CancellationError {
            return self
        } catch {
            let reason = "the sentence-embedding model \(semantic.model.name) cannot be used (\(error))"
            if let clipScorer {
                return RelevanceSelection(scorer: clipScorer, warning: reason + "; footage matched by CLIP alone", clipScorer: clipScorer)
            }
            return RelevanceSelection(scorer: MetadataScorer(), note: Self.noModelNote,
                                      warning: reason + "; footage matched by titles, tags and descriptions (metadata)")
        }
    }
}
