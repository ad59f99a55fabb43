/// Limits how many footage requests run at once: at most ``perHost`` to one host and ``global`` in all.
///
/// An async semaphore with two levels: a request waits (without blocking a thread) until both its
/// host and the whole have a free slot, and waiters are served first come, first served. A waiting
/// task that is cancelled stops waiting at once with `CancellationError` and takes no slot.
public actor FootageLimiter {
    /// The most requests in flight to one host.
    public nonisolated let perHost: Int
    /// The most requests in flight in all.
    public nonisolated let global: Int

    private struct Waiter {
        var id: Int
        var host: String
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var inFlight: [String: Int] = [:]
    private var restricted: [String: Int] = [:]
    private var total = 0
    private var waiters: [Waiter] = []
    private var nextID = 0

    /// Creates a limiter; limits below 1 are raised to 1.
    public init(perHost: Int, global: Int) {
        self.perHost = max(perHost, 1)
        self.global = max(global, 1)
    }

    /// Runs `body` holding one slot for `host`, released however `body` ends.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting; whatever `body` throws.
    public nonisolated func withSlot<T: Sendable>(for host: String, _ body: () async throws -> T) async throws -> T {
        try await acquire(host)
        do {
            let value = try await body()
            await release(host)
            return value
        } catch {
            await release(host)
            throw error
        }
    }

    /// Requests in flight now, by host (for tests and reports).
    public func snapshot() -> [String: Int] { inFlight.filter { $0.value > 0 } }

    /// Lowers `host`'s limit to `limit` (at least 1) from now on; requests already in flight go on.
    ///
    /// Used for a host that stalled: its other downloads go one at a time, so a dead host costs one
    /// timeout instead of one per slot.
    public func restrict(_ host: String, to limit: Int) {
        restricted[host] = min(restricted[host] ?? perHost, max(limit, 1))
    }

    /// The most requests in flight to `host` now.
    public func limit(for host: String) -> Int { restricted[host] ?? perHost }

    private func canStart(_ host: String) -> Bool {
        total < global && inFlight[host, default: 0] < limit(for: host)
    }

    private func take(_ host: String) {
        total += 1
        inFlight[host, default: 0] += 1
    }

    private func acquire(_ host: String) async throws {
        try Task.checkCancellation()
        // Served in order: a newcomer does not overtake a waiter for the same host.
        if canStart(host) && !waiters.contains(where: { $0.host == host }) {
            take(host)
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // The handler below may have run before this body; then nothing would resume us.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, host: host, continuation: continuation))
                }
            }
        } onCancel: {
            // The only way to reach the actor from a synchronous handler; the task is tiny and ends at once.
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func release(_ host: String) {
        total -= 1
        inFlight[host, default: 1] -= 1
        // Wake every waiter that can start now, oldest first; a waiter whose host is full does not
        // hold up waiters for other hosts.
        var index = 0
        var blockedHosts: Set<String> = []
        while index < waiters.count && total < global {
            let waiter = waiters[index]
            if !blockedHosts.contains(waiter.host) && canStart(waiter.host) {
                take(waiter.host)
                waiters.remove(at: index)
                waiter.continuation.resume()
            } else {
                blockedHosts.insert(waiter.host)
                index += 1
            }
        }
    }
}
