/// When to try a failed request again: at most ``maxAttempts`` attempts, waiting exponentially longer
/// (with jitter, so many clients do not retry in step), or as long as a `Retry-After` header asks.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt, in seconds; doubled for each later one.
    public var baseDelay: Double
    /// The longest wait honoured, in seconds (also caps `Retry-After`).
    public var maxDelay: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1), honouring `retryAfter` when given.
    public func delay(after attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), maxDelay) }
        let exponential = baseDelay * Double(1 << min(max(attempt - 1, 0), 30))
        return min(exponential * Double.random(in: 0.5...1.5), maxDelay)
    }
}
