@testable import AiShortsCore
import Testing

/// Brute force over every injective choice, for checking the Hungarian method on small matrices.
private func bestTotal(_ scores: [[Double?]], floor: Double) -> Double {
    func search(_ row: Int, _ used: Set<Int>) -> Double {
        guard row < scores.count else { return 0 }
        var best = floor + search(row + 1, used)  // leave the slot empty: worth `floor`, like the solver
        for (column, score) in scores[row].enumerated() where !used.contains(column) {
            if let score, score >= floor { best = max(best, score + search(row + 1, used.union([column]))) }
        }
        return best
    }
    return search(0, [])
}

private func total(_ scores: [[Double?]], _ picks: [Int?], floor: Double) -> Double {
    zip(scores, picks).reduce(0) { sum, pair in
        if let column = pair.1, let score = pair.0[column] { return sum + score }
        return sum + floor
    }
}

@Suite struct FootageAssignmentTests {
    @Test func greedyIsBeatenWhenTheBestClipFitsTwoScenes() {
        // Scene 0 likes clip 0 best (0.9) but scene 1 has nothing else; greedy scene order would give
        // clip 0 to scene 0 and leave scene 1 with 0.1. The optimum is 0.8 + 0.85.
        let scores: [[Double?]] = [[0.9, 0.8], [0.85, 0.1]]
        let picks = FootageAssignment.solve(scores: scores, floor: 0.2)
        #expect(picks == [1, 0])
    }

    @Test func noClipIsUsedTwice() {
        let scores: [[Double?]] = Array(repeating: [0.9, 0.5, 0.4], count: 3)
        let picks = FootageAssignment.solve(scores: scores, floor: 0.1)
        #expect(Set(picks.compactMap { $0 }).count == 3)
    }

    @Test func slotsBeyondTheUsableOptionsStayEmpty() {
        let scores: [[Double?]] = [[0.7], [0.6], [0.5]]
        let picks = FootageAssignment.solve(scores: scores, floor: 0.1)
        #expect(picks == [0, nil, nil])
    }

    @Test func scoresBelowTheFloorAreNotUsed() {
        let scores: [[Double?]] = [[0.05, 0.3], [0.04, 0.02]]
        let picks = FootageAssignment.solve(scores: scores, floor: 0.1)
        #expect(picks == [1, nil])
    }

    @Test func forbiddenPairsAreNeverChosen() {
        // Clip 0 is too short for slot 0 (nil) though it would score highest there.
        let scores: [[Double?]] = [[nil, 0.2], [0.3, 0.25]]
        let picks = FootageAssignment.solve(scores: scores, floor: 0.1)
        #expect(picks == [1, 0])
    }

    @Test func emptyInputs() {
        #expect(FootageAssignment.solve(scores: [], floor: 0).isEmpty)
        #expect(FootageAssignment.solve(scores: [[], []], floor: 0) == [nil, nil])
    }

    @Test func matchesBruteForceOnRandomMatrices() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let rows = Int.random(in: 1...5, using: &generator)
            let columns = Int.random(in: 0...6, using: &generator)
            let scores: [[Double?]] = (0..<rows).map { _ in
                (0..<columns).map { _ in Double.random(in: 0...1, using: &generator) < 0.2 ? nil : Double.random(in: -0.2...1, using: &generator) }
            }
            let floor = 0.25
            let picks = FootageAssignment.solve(scores: scores, floor: floor)
            let used = picks.compactMap { $0 }
            #expect(Set(used).count == used.count)
            for (row, pick) in picks.enumerated() {
                if let pick { #expect((scores[row][pick] ?? -1) >= floor) }
            }
            #expect(abs(total(scores, picks, floor: floor) - bestTotal(scores, floor: floor)) < 1e-9)
        }
    }
}
