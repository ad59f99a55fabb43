/// One job's footage failures, gathered as they happen: one line per source and kind of failure, and
/// the sources that refused their key, which the job stops asking.
///
/// A wrong key used to give one line per request (15 near-identical lines for a three-scene job); a
/// user can read one. Shared by the stage's concurrent searches, thumbnail fetches and downloads, so a
/// source is disabled for all of them at its first refusal.
actor FootageProblems {
    private struct Kind: Hashable {
        var source: String
        var code: String
    }

    private struct Entry {
        var message: String
        var failed = 0
        var notSent = 0
    }

    private var order: [Kind] = []
    private var entries: [Kind: Entry] = [:]
    private var disabled: Set<String> = []
    private var notSent: [String: Int] = [:]

    /// Records that a request of `source` failed with `error`; a refused key disables the source.
    ///
    /// - Returns: the kind's one-line summary for a scene's notes, `source: message`.
    @discardableResult
    func record(source: String, error: any Error) -> String {
        let footage = error as? FootageError
        let kind = Kind(source: source, code: footage.map { "\($0.code)" } ?? "other")
        if order.contains(kind) == false { order.append(kind) }
        var entry = entries[kind] ?? Entry(message: footage?.message ?? "\(error)")
        if footage?.repeated == true { entry.notSent += 1 } else { entry.failed += 1 }
        entries[kind] = entry
        if footage?.code == .unauthorized { disabled.insert(source) }
        return "\(source): \(entry.message)"
    }

    /// Whether `source` refused its key earlier in the job; counts the request it stops.
    func stops(_ source: String) -> Bool {
        guard disabled.contains(source) else { return false }
        notSent[source, default: 0] += 1
        return true
    }

    /// One line per source and kind, in the order they first happened.
    var lines: [String] {
        order.compactMap { kind in
            guard let entry = entries[kind] else { return nil }
            let skipped = entry.notSent + (kind.code == "unauthorized" ? notSent[kind.source, default: 0] : 0)
            var line = "\(kind.source): \(entry.message) — on \(entry.failed) request\(entry.failed == 1 ? "" : "s")"
            if kind.code == "unauthorized" { line += "; the source was skipped for the rest of the job" }
            if skipped > 0 { line += " (\(skipped) more not sent)" }
            return line
        }
    }
}
