import Foundation

extension FootageStage.Work {
    /// Assigns options to slots for the highest total score (``FootageAssignment``), then gives slots
    /// still empty the best unused library file that matches at all.
    mutating func assign(floor: Double, penaltyUnit: Double, portrait: Bool) {
        var matrix: [[Double?]] = []
        for slot in slots {
            matrix.append(options.map { option in
                let base = optionScore(option, scene: slot.scene)
                guard base.isFinite else { return nil }
                var score = base
                if option.info.kind == .video, let length = option.section?.length ?? option.info.duration {
                    // The composer loops or slows a short clip; a much shorter one looks broken.
                    if length < slot.seconds * 0.4 { return nil }
                    if length < slot.seconds { score -= penaltyUnit * (1 - length / slot.seconds) * 2 }
                }
                let landscape = option.info.width > option.info.height
                if portrait == landscape, option.info.width > 0 { score -= penaltyUnit }
                return score
            })
        }
        assignment = FootageAssignment.solve(scores: matrix, floor: floor)
        var used = Set(assignment.compactMap { $0 })
        for (index, slot) in slots.enumerated() where assignment[index] == nil {
            var fallback: (option: Int, score: Double)?
            for option in options.indices where !used.contains(option) && isLibrary(options[option]) {
                let score = optionScore(options[option], scene: slot.scene)
                guard score.isFinite, score > 0 else { continue }
                if fallback == nil || score > fallback!.score { fallback = (option, score) }
            }
            if let (option, _) = fallback {
                assignment[index] = option
                used.insert(option)
                notes[slot.scene, default: []].append("nothing online was relevant enough; using a library file")
            }
        }
    }

    private func isLibrary(_ option: Option) -> Bool {
        candidates[option.key]?.clip.source == "library"
    }

    /// Each scene's pictures: named media as given, assigned clips in shot order, or a generated background.
    func result(named: [Int: [Visual]]) -> [SceneFootage] {
        scenes.indices.map { scene in
            if let visuals = named[scene] {
                return SceneFootage(scene: scene, visuals: visuals, origin: "spec", note: "\(visuals.count) file(s) named by the spec")
            }
            var visuals: [Visual] = []
            var origins: [String] = []
            var reasons: [String] = []
            for (index, slot) in slots.enumerated() where slot.scene == scene {
                guard let chosen = assignment[index] else { continue }
                let option = options[chosen]
                let clip = candidates[option.key]?.clip
                visuals.append(FootageStage.visual(option.file, option.info))
                let source = clip?.source ?? "library"
                if !origins.contains(source) { origins.append(source) }
                var reason = "\(option.key) (score \(String(format: "%.3f", optionScore(option, scene: scene)))"
                if let section = option.section { reason += String(format: ", %.1f–%.1f s", section.start, section.end) }
                if candidates[option.key]?.round == .broader { reason += ", broader search" }
                reasons.append(reason + ")")
            }
            if let runnerUp = runnerUp(for: scene) {
                reasons.append(String(format: "runner-up %@ at %.3f", runnerUp.key, runnerUp.score))
            }
            let extra = (notes[scene] ?? []).isEmpty ? "" : "; " + (notes[scene] ?? []).joined(separator: "; ")
            if visuals.isEmpty {
                let words = FootageStage.phrases(for: scenes[scene]).joined(separator: ", ")
                var footage = SceneFootage(
                    scene: scene, visuals: [.generated(seed: scene)], origin: "generated",
                    note: "no footage matched \(words.isEmpty ? "its words" : words) well enough; using a generated background\(extra)"
                )
                footage.candidates = consideredClips(for: scene)
                return footage
            }
            let shots = slots.filter { $0.scene == scene }.count
            let missing = shots - visuals.count
            let short = missing > 0 ? "; \(missing) shot(s) fewer than planned" : ""
            var footage = SceneFootage(scene: scene, visuals: visuals, origin: origins.joined(separator: "+"),
                                       note: "\(report.scorer): " + reasons.joined(separator: ", ") + short + extra)
            footage.candidates = consideredClips(for: scene)
            return footage
        }
    }

    /// The best-scoring candidate for `scene` that it does not show (by its frames when downloaded).
    func runnerUp(for scene: Int) -> (key: String, score: Double)? {
        let shown = Set(slots.indices.filter { slots[$0].scene == scene }.compactMap { assignment[$0] }.map { options[$0].key })
        var best: (key: String, score: Double)?
        for key in order where !shown.contains(key) {
            let score = options.first { $0.key == key }.map { optionScore($0, scene: scene) } ?? score(of: key, scene: scene)
            if score.isFinite, score > (best?.score ?? -.infinity) { best = (key, score) }
        }
        return best
    }
}

extension FootageStage {
    static func visual(_ url: URL, _ info: MediaInfo) -> Visual {
        if info.kind == .video, let duration = info.duration, duration > 0.1 { return .video(url, duration: duration) }
        return .still(url)
    }
}
