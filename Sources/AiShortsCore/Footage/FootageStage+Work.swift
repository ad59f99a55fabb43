import Foundation

extension FootageStage {
    /// One job's footage work in progress: candidates, their scores, downloads and the assignment.
    /// A value owned by one `gather` call; the concurrent parts return results that are merged into it.
    struct Work {
        enum Round: String { case first, broader }

        struct Candidate {
            var clip: FootageClip
            var round: Round
            var picture: RelevancePicture?
            /// Scene index → score from the thumbnail (or the text).
            var scores: [Int: Double] = [:]
            var scored = false
        }

        struct Option {
            var key: String
            var section: ClipSection?
            var file: URL
            var info: MediaInfo
            /// Scene index → score from the downloaded file's own frames.
            var frameScores: [Int: Double]?
            var fromCache: Bool
        }

        struct Slot {
            var scene: Int
            var seconds: Double
        }

        let scenes: [Scene]
        let wanted: [Int]
        let durations: [Double]
        var slots: [Slot] = []
        var candidates: [String: Candidate] = [:]
        var order: [String] = []
        var options: [Option] = []
        var assignment: [Int?] = []
        var report = FootageReport(scorer: "")
        var notes: [Int: [String]] = [:]
        /// Remote clips planned for download in any round (for `downloadsAvoided`).
        var fetchedRemote = Set<String>()
        /// Clips whose download or check failed, or whose source was disabled: never planned again.
        var failed = Set<String>()

        init(scenes: [Scene], wanted: [Int], durations: [Double], shots: Tuning) {
            self.scenes = scenes
            self.wanted = wanted
            self.durations = durations
            for scene in wanted {
                let seconds = max(0.5, scene < durations.count ? durations[scene] : 3)
                let count = min(shots.maxShotsPerScene, max(1, Int((seconds / shots.shotSeconds).rounded(.up))))
                for _ in 0..<count { slots.append(Slot(scene: scene, seconds: seconds / Double(count))) }
            }
            assignment = Array(repeating: nil, count: slots.count)
        }

        mutating func add(_ found: [FootageClip], round: Round) {
            for clip in found where candidates[clip.key] == nil {
                candidates[clip.key] = Candidate(clip: clip, round: round)
                order.append(clip.key)
            }
            report.candidates = candidates.count
        }

        func unscoredClips() -> [FootageClip] {
            order.compactMap { candidates[$0] }.filter { !$0.scored }.map(\.clip)
        }

        /// Scenes with a slot the assignment left empty.
        func unfilledScenes() -> [Int] {
            var scenes: [Int] = []
            for (index, slot) in slots.enumerated() where assignment[index] == nil && !scenes.contains(slot.scene) {
                scenes.append(slot.scene)
            }
            return scenes
        }

        /// The texts a scene is scored against: each of its phrases, then its narration. Never the
        /// single words of the broader round: they only widen the search. Scored against one word, a clip
        /// that shares an incidental word with the scene ("carrying", "highway", "family") would fit it
        /// perfectly and win; scored against the whole scene, it must fit as well as a first-round clip.
        func texts(for scene: Int) -> [String] {
            let text = scenes[scene].text.trimmingCharacters(in: .whitespacesAndNewlines)
            return FootageStage.phrases(for: scenes[scene]) + scenes[scene].localQueries + [text]
        }

        /// All wanted scenes' texts in one list (so the scorer batches them), and each scene's rows in it.
        func scoringTexts() -> (texts: [String], rows: [Int: Range<Int>]) {
            var texts: [String] = []
            var rows: [Int: Range<Int>] = [:]
            for scene in wanted {
                let own = self.texts(for: scene)
                rows[scene] = texts.count..<(texts.count + own.count)
                texts += own
            }
            return (texts, rows)
        }

        /// A scene's score for one candidate (column) of a score matrix (``SceneScoring/combine(phrases:narration:)``).
        static func combine(_ matrix: [[Double]], rows: Range<Int>, column: Int) -> Double {
            SceneScoring.combine(phrases: rows.dropLast().map { matrix[$0][column] }, narration: matrix[rows.upperBound - 1][column])
        }

        func score(of key: String, scene: Int) -> Double {
            candidates[key]?.scores[scene] ?? -.infinity
        }

        func optionScore(_ option: Option, scene: Int) -> Double {
            let thumb = score(of: option.key, scene: scene)
            guard let frames = option.frameScores?[scene] else { return thumb }
            return thumb.isFinite ? 0.4 * thumb + 0.6 * frames : frames
        }
    }
}
