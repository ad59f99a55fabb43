/// Scores candidates with CLIP (their pictures) and the sentence-embedding model (their words)
/// together: what ranks footage when both models are installed.
///
/// The two similarities live on different scales: CLIP's cosines are compressed (a fitting picture
/// typically scores 0.25–0.35, an unrelated one 0.10–0.20, threshold 0.22), MiniLM's spread wider
/// (fitting descriptions 0.5–0.8, unrelated below 0.2, threshold 0.40). CLIP's score is first put on the
/// semantic scale by a linear map that sends CLIP's threshold to the semantic threshold and stretches
/// its spread by ``clipStretch`` (3: CLIP's ~0.15 gap between fitting and unrelated becomes ~0.45, the
/// semantic model's gap); then
///
///     score = 0.6 × semantic + 0.4 × CLIP (calibrated)
///
/// Why these weights: words written by someone who watched the clip are the better witness on stock
/// sites, and the semantic scorer is the one measured on the relevance set (`make bench`); CLIP sees what
/// the words leave out (an empty or misleading title, a library file named `IMG_0042`), so it keeps a
/// large share and still decides between candidates whose descriptions fit alike. A candidate with no
/// picture CLIP can read is scored by its words alone; one whose description cannot be judged (no
/// letter or digit) by its picture alone. The threshold is the semantic one.
public struct CombinedScorer: RelevanceScorer {
    /// Scores pictures.
    public let clip: ClipScorer
    /// Scores words.
    public let semantic: SemanticScorer
    /// The semantic score's weight; CLIP's is the rest.
    public let semanticWeight: Double
    /// How much CLIP's distance from its threshold is stretched to the semantic scale.
    public static let clipStretch = 3.0

    /// `clip (…) + semantic (…)`.
    public var name: String { "\(clip.name) + \(semantic.name)" }
    /// The semantic scorer's threshold (scores are on its scale).
    public var threshold: Double { semantic.threshold }
    /// `true`: downloaded clips are re-scored on their own frames.
    public var judgesPictures: Bool { true }

    /// Combines two scorers.
    public init(clip: ClipScorer, semantic: SemanticScorer, semanticWeight: Double = 0.6) {
        self.clip = clip
        self.semantic = semantic
        self.semanticWeight = min(1, max(0, semanticWeight))
    }

    /// CLIP's preparation of pictures.
    public func prepare(_ pictures: [RelevancePicture]) async {
        await clip.prepare(pictures)
    }

    /// The pictures CLIP has already embedded.
    public func prepared(_ pictures: [RelevancePicture]) async -> Set<RelevancePicture> {
        await clip.prepared(pictures)
    }

    /// `result[t][c]`: the weighted sum of the semantic score and CLIP's calibrated score.
    ///
    /// - Throws: what either scorer throws.
    public func scores(texts: [String], candidates: [RelevanceCandidate]) async throws -> [[Double]] {
        async let words = semantic.scores(texts: texts, candidates: candidates)
        let pictures = try await clip.scores(texts: texts, candidates: candidates)
        let meaning = try await words
        return zip(meaning, pictures).map { meaningRow, pictureRow in
            zip(meaningRow, pictureRow).map { combine(semantic: $0, clip: $1) }
        }
    }

    /// One candidate's combined score from its two scores (-1 meaning "could not be judged").
    func combine(semantic score: Double, clip picture: Double) -> Double {
        let hasPicture = picture > -1
        let hasWords = score > -1
        let calibrated = semantic.threshold + (picture - clip.threshold) * Self.clipStretch
        switch (hasWords, hasPicture) {
        case (true, true): return semanticWeight * score + (1 - semanticWeight) * calibrated
        case (true, false): return score
        case (false, true): return calibrated
        case (false, false): return -1
        }
    }
}
