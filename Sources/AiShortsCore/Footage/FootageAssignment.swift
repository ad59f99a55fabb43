/// Assigns footage options to scene slots so that the total relevance is as high as possible, with no
/// option used twice.
///
/// A scene has one or more slots (a long scene shows several shots); an option is one downloaded clip,
/// or one stretch of a long video. Options cut from the same video are made non-overlapping before they
/// get here, so "no option twice" also means "no stretch of a video twice". Constraints that make an
/// option unusable for a slot (too short, wrong shape) are expressed as `nil` scores. This is the
/// Hungarian method (Kuhn–Munkres, O(n²·m)); n and m are tens, so it takes microseconds.
public enum FootageAssignment {
    /// For each slot, the index of its option, or `nil` when nothing usable scores at least `floor`.
    ///
    /// - Parameters:
    ///   - scores: `scores[slot][option]`; `nil` means the option cannot fill the slot.
    ///   - floor: the least score worth using; a slot left below it is reported unfilled so the caller
    ///     can fall back (broader queries, the library, a generated background).
    public static func solve(scores: [[Double?]], floor: Double) -> [Int?] {
        let rows = scores.count
        guard rows > 0 else { return [] }
        let options = scores.map(\.count).max() ?? 0
        // One "nothing" column per row keeps the matrix wide enough and prices leaving a slot empty at
        // `floor`: any real option below the floor loses to it.
        let columns = options + rows
        let top = max(floor, scores.flatMap { $0.compactMap { $0 } }.max() ?? floor)
        let forbidden = (top - floor + 1) * Double(rows + 1) * 4 + 1
        var cost = [[Double]](repeating: [Double](repeating: 0, count: columns + 1), count: rows + 1)
        for row in 0..<rows {
            for column in 0..<columns {
                let value: Double
                if column < options {
                    if column < scores[row].count, let score = scores[row][column], score >= floor {
                        value = top - score
                    } else {
                        value = forbidden
                    }
                } else {
                    value = top - floor
                }
                cost[row + 1][column + 1] = value
            }
        }
        let owner = hungarian(cost, rows: rows, columns: columns)
        var result = [Int?](repeating: nil, count: rows)
        for column in 1...columns where owner[column] > 0 && column - 1 < options {
            let row = owner[column] - 1
            if column - 1 < scores[row].count, let score = scores[row][column - 1], score >= floor {
                result[row] = column - 1
            }
        }
        return result
    }

    /// Minimum-cost assignment of every row to a distinct column (1-based `cost`, rows ≤ columns).
    /// Returns, for each column, the row it got (0: none).
    static func hungarian(_ cost: [[Double]], rows: Int, columns: Int) -> [Int] {
        var rowPotential = [Double](repeating: 0, count: rows + 1)
        var columnPotential = [Double](repeating: 0, count: columns + 1)
        var owner = [Int](repeating: 0, count: columns + 1)
        var previous = [Int](repeating: 0, count: columns + 1)
        for row in 1...rows {
            owner[0] = row
            var column = 0
            var slack = [Double](repeating: .infinity, count: columns + 1)
            var visited = [Bool](repeating: false, count: columns + 1)
            repeat {
                visited[column] = true
                let current = owner[column]
                var delta = Double.infinity
                var next = 0
                for candidate in 1...columns where !visited[candidate] {
                    let reduced = cost[current][candidate] - rowPotential[current] - columnPotential[candidate]
                    if reduced < slack[candidate] {
                        slack[candidate] = reduced
                        previous[candidate] = column
                    }
                    if slack[candidate] < delta {
                        delta = slack[candidate]
                        next = candidate
                    }
                }
                for candidate in 0...columns {
                    if visited[candidate] {
                        rowPotential[owner[candidate]] += delta
                        columnPotential[candidate] -= delta
                    } else {
                        slack[candidate] -= delta
                    }
                }
                column = next
            } while owner[column] != 0
            repeat {
                let back = previous[column]
                owner[column] = owner[back]
                column = back
            } while column != 0
        }
        return owner
    }
}
