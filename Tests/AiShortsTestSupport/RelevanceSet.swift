public import AiShortsCore
public import Foundation

/// The project's hand-written relevance set (`Tests/Data/relevance.json`): scenes in a script's words,
/// each with 8–12 candidates described the way stock sites describe clips, and which are relevant.
/// The relevance tests and `make bench` rank it with each scorer.
public struct RelevanceSet: Sendable, Decodable {
    /// One candidate clip.
    public struct Candidate: Sendable, Decodable {
        /// `pexels`, `pixabay`, `youtube` or `library`.
        public var source: String
        /// What the source says of the clip.
        public var text: String
        /// Whether a viewer would accept it as illustrating the scene.
        public var relevant: Bool
    }

    /// One scene and its candidates.
    public struct Scene: Sendable, Decodable {
        /// The narration.
        public var narration: String
        /// The search phrases.
        public var queries: [String]
        /// The candidates.
        public var candidates: [Candidate]
    }

    /// What the set is.
    public var about: String
    /// The scenes.
    public var scenes: [Scene]

    /// Where the set lives under the package root.
    public static let path = "Tests/Data/relevance.json"

    /// Reads the set from the package at `root`.
    public static func load(root: URL) throws -> RelevanceSet {
        try JSONDecoder().decode(RelevanceSet.self, from: Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// How a scorer ranked the set.
    public struct Ranking: Sendable {
        /// Scenes whose best-scored candidate is relevant.
        public var top1: Int
        /// Scenes with a relevant candidate among the three best-scored.
        public var top3: Int
        /// Scenes ranked.
        public var scenes: Int
        /// Scores of relevant candidates, and of the others.
        public var relevantScores: [Double], otherScores: [Double]
        /// The scenes whose best-scored candidate is not relevant: (first query, that candidate's text).
        public var misses: [(query: String, chosen: String)]

        /// `top1` as a share of the scenes.
        public var top1Share: Double { Double(top1) / Double(max(1, scenes)) }
        /// `top3` as a share of the scenes.
        public var top3Share: Double { Double(top3) / Double(max(1, scenes)) }
    }

    /// Ranks every scene's candidates with `scorer`, scene by scene, as the footage stage combines a
    /// scene's phrases and narration (``SceneScoring``); ties go to the earlier candidate.
    public func rank(with scorer: any RelevanceScorer) async throws -> Ranking {
        var ranking = Ranking(top1: 0, top3: 0, scenes: scenes.count, relevantScores: [], otherScores: [], misses: [])
        for scene in scenes {
            let candidates = scene.candidates.map { RelevanceCandidate(pictures: [], text: $0.text) }
            let scores = try await SceneScoring.scores(of: candidates, phrases: scene.queries, narration: scene.narration, scorer: scorer)
            let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            if let best = order.first {
                if scene.candidates[best].relevant {
                    ranking.top1 += 1
                } else {
                    ranking.misses.append((scene.queries.first ?? scene.narration, scene.candidates[best].text))
                }
            }
            if order.prefix(3).contains(where: { scene.candidates[$0].relevant }) { ranking.top3 += 1 }
            for (candidate, score) in zip(scene.candidates, scores) {
                if candidate.relevant { ranking.relevantScores.append(score) } else { ranking.otherScores.append(score) }
            }
        }
        return ranking
    }
}
