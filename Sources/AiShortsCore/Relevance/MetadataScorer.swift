import Foundation

/// Scores candidates by their words (titles, tags, descriptions) against a scene's text: what is used
/// when no CLIP model is installed.
///
/// Words are tokenised as the footage library does (lower-cased, common English words dropped,
/// a plural `s` removed). Each scene word is weighted by how rare it is among the candidates scored
/// together (an IDF weight: a word every candidate has tells them apart less), and each pair of
/// adjacent scene words that the candidate also has side by side (a phrase such as "rocket launch")
/// counts again, with the mean weight of its two words. The score is the weight matched over the
/// weight possible, so it lies in 0…1: 1 when the candidate has every word and phrase of the text.
public struct MetadataScorer: RelevanceScorer {
    /// Below this a candidate is not relevant enough: roughly one of three or four content words matched.
    public let threshold: Double

    /// `metadata`.
    public var name: String { "metadata" }

    /// Creates the scorer.
    public init(threshold: Double = 0.25) {
        self.threshold = threshold
    }

    /// `result[t][c]`: the weighted share of text `t`'s words and phrases that candidate `c`'s text has.
    public func scores(texts: [String], candidates: [RelevanceCandidate]) async throws -> [[Double]] {
        let documents = candidates.map { candidate -> (words: Set<String>, phrases: Set<String>) in
            let words = Self.words(in: candidate.text)
            return (Set(words), Self.phrases(words))
        }
        var frequency: [String: Int] = [:]
        for document in documents {
            for word in document.words { frequency[word, default: 0] += 1 }
        }
        let count = Double(max(1, candidates.count))
        func weight(_ word: String) -> Double {
            // Smoothed so that a word every candidate has still counts a little, and unseen words most.
            log(1 + count / Double(1 + frequency[word, default: 0])) + 0.1
        }
        return texts.map { text in
            let words = Self.words(in: text)
            let unique = Set(words)
            let phrases = Self.phrases(words)
            let phraseWeight = { (phrase: String) -> Double in
                let parts = phrase.split(separator: " ").map(String.init)
                return parts.map(weight).reduce(0, +) / Double(max(1, parts.count))
            }
            let possible = unique.map(weight).reduce(0, +) + phrases.map(phraseWeight).reduce(0, +)
            guard possible > 0 else { return Array(repeating: 0, count: candidates.count) }
            return documents.map { document in
                let matched = unique.intersection(document.words).map(weight).reduce(0, +)
                    + phrases.intersection(document.phrases).map(phraseWeight).reduce(0, +)
                return min(1, matched / possible)
            }
        }
    }

    /// Content words in order, tokenised as ``LocalLibrary`` does for file names and tags.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        for raw in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var word = String(raw)
            guard word.count > 2, !LocalLibrary.stopWords.contains(word) else { continue }
            if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
            words.append(word)
        }
        return words
    }

    /// Adjacent content-word pairs, as "first second".
    static func phrases(_ words: [String]) -> Set<String> {
        guard words.count > 1 else { return [] }
        return Set((1..<words.count).compactMap { words[$0 - 1] == words[$0] ? nil : "\(words[$0 - 1]) \(words[$0])" })
    }
}
