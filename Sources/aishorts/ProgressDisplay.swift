import AiShortsCore
import Foundation

/// Shows pipeline events on stderr: a live bar on a terminal, plain lines otherwise.
actor ProgressDisplay {
    private let interactive: Bool
    private var barShown = false
    private var lastPlainPercent: [PipelineStage: Int] = [:]

    init(interactive: Bool) {
        self.interactive = interactive
    }

    func show(_ event: PipelineEvent) {
        switch event {
        case .started(let stage):
            if interactive { draw(stage, fraction: 0, remaining: nil) } else { line("\(stage.rawValue): started") }
        case .progress(let stage, let fraction, let remaining):
            if interactive {
                draw(stage, fraction: fraction, remaining: remaining)
            } else {
                let percent = Int(fraction * 100) / 25 * 25
                if percent > lastPlainPercent[stage, default: -1] {
                    lastPlainPercent[stage] = percent
                    line("\(stage.rawValue): \(percent)%\(eta(remaining))")
                }
            }
        case .finished(let stage, let metrics):
            clearBar()
            line(String(format: "%@: done in %.2f s (CPU %.2f s, peak %.0f MB)", stage.rawValue, metrics.wallSeconds,
                metrics.cpuSeconds, Double(metrics.peakTreeRSSBytes) / 1_048_576))
        case .note(let text):
            clearBar()
            line("note: \(text)")
        }
    }

    func finish() { clearBar() }

    private func draw(_ stage: PipelineStage, fraction: Double, remaining: Duration?) {
        let width = 30
        let filled = Int((fraction * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = "\r\u{1B}[2K\(stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(bar) \(String(format: "%3d%%", Int(fraction * 100)))\(eta(remaining))"
        FileHandle.standardError.write(Data(text.utf8))
        barShown = true
    }

    private func clearBar() {
        guard barShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        barShown = false
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func eta(_ remaining: Duration?) -> String {
        guard let remaining else { return "" }
        let seconds = Int(remaining.components.seconds)
        return String(format: "  ETA %d:%02d", seconds / 60, seconds % 60)
    }
}
