import Synchronization

/// What one node's PostgreSQL listener knows and whom it tells: whether the schema is ready and the
/// database reachable, the workers' signal handlers, and how far each followed job's events were
/// handed to the node's ``EventHub``.
///
/// A lock rather than an actor: operations read ``isMigrated`` on every call, synchronously.
final class PostgresRelay: Sendable {
    private struct State {
        var migrated = false
        var connected = false
        var handlers: [@Sendable (QueueSignal) async -> Void] = []
        /// The last event sequence published per followed job, so that a notification carrying a
        /// range already published (or a replay after a reconnect) is read only from where it stopped.
        var published: [String: Int] = [:]
    }
    private let state = Mutex(State())

    var isMigrated: Bool { state.withLock { $0.migrated } }
    var isConnected: Bool { state.withLock { $0.connected } }

    func markMigrated() { state.withLock { $0.migrated = true } }

    /// Records whether the listener is connected; returns whether that changed.
    func setConnected(_ connected: Bool) -> Bool {
        state.withLock { state in
            defer { state.connected = connected }
            return state.connected != connected
        }
    }

    func add(_ handler: @escaping @Sendable (QueueSignal) async -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// Tells every handler, in the order they were added.
    func signal(_ signal: QueueSignal) async {
        let handlers = state.withLock { $0.handlers }
        for handler in handlers { await handler(signal) }
    }

    /// Where to read `job`'s events from: after the last published one, else just before `first`.
    func readFrom(_ job: String, first: Int) -> Int {
        state.withLock { $0.published[job] ?? (first - 1) }
    }

    /// Notes that `job`'s events up to `sequence` were published; forgets jobs nobody follows.
    func published(_ job: String, through sequence: Int, followed: Set<String>) {
        state.withLock { state in
            state.published[job] = max(state.published[job] ?? 0, sequence)
            state.published = state.published.filter { followed.contains($0.key) }
        }
    }

    /// The followed jobs whose events were published before, with where they stopped.
    func resumePoints(followed: Set<String>) -> [String: Int] {
        state.withLock { $0.published.filter { followed.contains($0.key) } }
    }
}
