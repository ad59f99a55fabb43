import Foundation

/// Which relevance scorer a job uses, and the line its run report shows about that choice.
///
/// A CLIP model named in the config (an installed name, or a folder path) is used, and a name that
/// is not installed is an error; with no name, the first installed CLIP model is used; with none
/// installed, or the name `metadata`, the ``MetadataScorer`` is, and ``note`` says so.
public struct RelevanceSelection: Sendable {
    /// The scorer to use.
    public var scorer: any RelevanceScorer
    /// A line for the run report when the job falls back to metadata; `nil` when CLIP is used.
    public var note: String?

    /// Chooses the scorer.
    ///
    /// - Parameters:
    ///   - clip: the configured CLIP model (`vit-b-32`, a folder path, `metadata`), or `nil`.
    ///   - locations: where installed models are looked for.
    ///   - models: the process's model manager, which loads the CLIP towers.
    ///   - cache: the job's embedding cache.
    /// - Throws: ``RelevanceError`` (`modelMissing`) for a name that is not installed, (`badModelFolder`)
    ///   for a folder that is not a CLIP export.
    public static func choose(clip: String?, locations: ModelLocations, models: ModelManager,
                              cache: EmbeddingCache) throws(RelevanceError) -> RelevanceSelection {
        if clip == "metadata" {
            return RelevanceSelection(scorer: MetadataScorer(), note: "footage matched by titles, tags and descriptions (metadata), as configured")
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
        guard let folder else {
            return RelevanceSelection(scorer: MetadataScorer(),
                                      note: "no CLIP model installed: footage matched by titles, tags and descriptions (metadata); see `aishorts models add --help`")
        }
        let model = try ClipModel(folder: folder)
        return RelevanceSelection(scorer: ClipScorer(model: model, models: models, cache: cache), note: nil)
    }
}
