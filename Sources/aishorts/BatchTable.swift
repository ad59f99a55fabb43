import AiShortsCore
import Foundation

/// The live table of a batch on stdout: redrawn in place on a terminal (at most 5 times a second),
/// one line per finished entry otherwise (logs, CI).
actor BatchTable {
    private let entries: [BatchEntry]
    private var statuses: [BatchRun.Status]
    private var started: [Int: ContinuousClock.Instant] = [:]
    private var seconds: [Int: Double] = [:]
    private let interactive: Bool
    private var drawnLines = 0
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var done = 0

    init(entries: [BatchEntry], interactive: Bool) {
        self.entries = entries
        statuses = Array(repeating: .waiting, count: entries.count)
        self.interactive = interactive
    }

    func update(_ index: Int, _ status: BatchRun.Status) {
        if case .queued = status { started[index] = .now }
        if status.isFinal, !statuses[index].isFinal {
            done += 1
            if let start = started[index] {
                let elapsed = ContinuousClock.now - start
                seconds[index] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            if !interactive { write("[\(done)/\(entries.count)] \(row(index, status))\n") }
        }
        statuses[index] = status
        if interactive, status.isFinal || ContinuousClock.now - lastDraw > .milliseconds(200) { draw() }
    }

    func finish() {
        if interactive { draw() }
    }

    private func draw() {
        lastDraw = .now
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
        for index in entries.indices { text += "\u{1B}[2K" + row(index, statuses[index]) + "\n" }
        drawnLines = entries.count
        write(text)
    }

    private func row(_ index: Int, _ status: BatchRun.Status) -> String {
        let label = entries[index].label.padding(toLength: 28, withPad: " ", startingAt: 0)
        let time = seconds[index].map { String(format: "%6.1f s", $0) } ?? ""
        let state: String = switch status {
        case .waiting: "waiting"
        case .skipped: "skipped (made before from the same request)"
        case .queued: "queued"
        case .running(let stage, let fraction): "\(stage) \(Int(fraction * 100)) %"
        case .made: "made \(time)"
        case .failed(let error): "FAILED: \(error)"
        }
        return "\(String(format: "%3d", index + 1))  \(label)  \(state)"
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
