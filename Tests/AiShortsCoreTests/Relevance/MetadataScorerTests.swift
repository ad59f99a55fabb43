import Testing

@testable import AiShortsCore

@Suite("MetadataScorer")
struct MetadataScorerTests {
    func candidate(_ text: String) -> RelevanceCandidate { RelevanceCandidate(pictures: [], text: text) }

    @Test("the candidate whose title and tags share the scene's words ranks first; scores lie in 0…1")
    func ranksByWords() async throws {
        let candidates = [
            candidate("Rocket launch at night, tags: rockets, space, launch pad"),
            candidate("Cat sleeping on a sofa"),
            candidate("Night sky with stars"),
        ]
        let scores = try await MetadataScorer().scores(texts: ["The rocket launch at night", "a sleepy cat"], candidates: candidates)
        #expect(scores.count == 2 && scores.allSatisfy { $0.count == 3 })
        #expect(scores.joined().allSatisfy { (0...1).contains($0) })
        #expect(scores[0][0] > scores[0][2] && scores[0][2] > scores[0][1])
        #expect(scores[0][1] == 0)
        #expect(scores[1][1] > scores[1][0] && scores[1][1] > 0)
    }

    @Test("a phrase counts more than the same words apart")
    func phrasesCountMore() async throws {
        let candidates = [candidate("rocket launch"), candidate("launch of a boat beside a rocket museum")]
        let scores = try await MetadataScorer().scores(texts: ["rocket launch"], candidates: candidates)
        #expect(scores[0][0] == 1)
        #expect(scores[0][1] < scores[0][0] && scores[0][1] > 0)
    }

    @Test("a word every candidate has weighs less than a rare one")
    func rareWordsWeighMore() async throws {
        let candidates = [candidate("ocean waves"), candidate("ocean whale"), candidate("ocean beach")]
        let scores = try await MetadataScorer().scores(texts: ["whale in the ocean waves"], candidates: candidates)
        #expect(scores[0][1] > scores[0][2])
        #expect(scores[0][0] > scores[0][2])
    }

    @Test("a text without content words scores 0 everywhere; the name is metadata and the threshold sensible")
    func emptyText() async throws {
        let scorer = MetadataScorer()
        let scores = try await scorer.scores(texts: ["and the of"], candidates: [candidate("anything at all")])
        #expect(scores == [[0]])
        #expect(scorer.name == "metadata" && (0.1...0.5).contains(scorer.threshold))
    }
}
