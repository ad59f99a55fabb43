/// How a scene's score for a candidate is made from the scores of its texts: the footage stage and the
/// relevance benchmark rank the same way.
///
/// A scene is scored against each of its search phrases and its narration. Phrases say what to show
/// more precisely than the narration, so the best phrase counts most, the narration the rest.
public enum SceneScoring {
    /// Weight of the best phrase; the narration gets the rest.
    public static let phraseWeight = 0.65

    /// The scene's score: `0.65 × max(phrases) + 0.35 × narration`, or the narration's score alone
    /// when the scene has no phrase.
    public static func combine(phrases: [Double], narration: Double) -> Double {
        guard let best = phrases.max() else { return narration }
        return phraseWeight * best + (1 - phraseWeight) * narration
    }

    /// Every candidate's score for one scene.
    ///
    /// - Parameters:
    ///   - phrases: the scene's search phrases.
    ///   - narration: the scene's narration.
    /// - Returns: one score per candidate, higher is better.
    /// - Throws: what the scorer throws.
    public static func scores(of candidates: [RelevanceCandidate], phrases: [String], narration: String,
                              scorer: any RelevanceScorer) async throws -> [Double] {
        let matrix = try await scorer.scores(texts: phrases + [narration], candidates: candidates)
        return candidates.indices.map { column in
            combine(phrases: phrases.indices.map { matrix[$0][column] }, narration: matrix[phrases.count][column])
        }
    }
}
