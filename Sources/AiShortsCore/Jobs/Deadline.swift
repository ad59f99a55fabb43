import Synchronization

/// Runs an operation with a time limit that holds even when the operation ignores cancellation.
///
/// A task group would wait for its cancelled child; a database call wedged on a connection the
/// server dropped (seen once after a restart mid-query) would then hold its caller, and with it a
/// worker's claim loop and its shutdown, forever. Here the operation runs in its own task: when the
/// limit passes, the caller gets `nil` at once and the operation is cancelled, left to end by itself.
enum Deadline {
    /// `operation`'s result, or `nil` when `limit` passed first; rethrows its error; throws
    /// `CancellationError` when the caller is cancelled (the operation is cancelled too).
    static func run<T: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        let outcome = Once<Result<T?, any Error>>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, any Error>) in
                outcome.onResult { continuation.resume(with: $0) }
                let work = Task {
                    do { outcome.set(.success(try await operation())) } catch { outcome.set(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    outcome.set(.success(nil))
                    work.cancel()
                }
                outcome.onSettle { timer.cancel() }
            }
        } onCancel: {
            outcome.set(.failure(CancellationError()))
        }
    }
}

/// A value set once; the first `set` wins and is handed to the waiter, later ones are dropped.
private final class Once<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var receiver: (@Sendable (Value) -> Void)?
        var settled: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())

    func onResult(_ receiver: @escaping @Sendable (Value) -> Void) {
        let ready = state.withLock { state -> Value? in
            if let value = state.value { return value }
            state.receiver = receiver
            return nil
        }
        if let ready { receiver(ready) }
    }

    func onSettle(_ action: @escaping @Sendable () -> Void) {
        let done = state.withLock { state -> Bool in
            if state.value != nil { return true }
            state.settled.append(action)
            return false
        }
        if done { action() }
    }

    func set(_ value: Value) {
        let (receiver, settled) = state.withLock { state -> ((@Sendable (Value) -> Void)?, [@Sendable () -> Void]) in
            guard state.value == nil else { return (nil, []) }
            state.value = value
            defer { state.receiver = nil; state.settled = [] }
            return (state.receiver, state.settled)
        }
        receiver?(value)
        for action in settled { action() }
    }
}
