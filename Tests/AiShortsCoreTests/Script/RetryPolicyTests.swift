import AiShortsCore
import Testing

@Suite struct RetryPolicyTests {
    @Test func retryAfterIsHonoured() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.5, maxDelay: 30)
        #expect(policy.delay(after: 1, retryAfter: 1) == 1)
        #expect(policy.delay(after: 2, retryAfter: 7.5) == 7.5)
        #expect(policy.delay(after: 1, retryAfter: 0) == 0)
    }

    @Test func retryAfterIsCappedAndNeverNegative() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.5, maxDelay: 30)
        #expect(policy.delay(after: 1, retryAfter: 3600) == 30)
        #expect(policy.delay(after: 1, retryAfter: -5) == 0)
    }

    @Test(arguments: [1, 2, 3, 4])
    func backoffDoublesWithinTheJitterBounds(attempt: Int) {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30)
        let nominal = 0.5 * Double(1 << (attempt - 1))
        let samples = (0..<500).map { _ in policy.delay(after: attempt, retryAfter: nil) }
        #expect(samples.allSatisfy { $0 >= nominal * 0.5 && $0 <= nominal * 1.5 }, "\(samples.min() ?? 0)…\(samples.max() ?? 0)")
        // Jittered: not all the same, and spread over most of the range.
        #expect(Set(samples).count > 100)
        #expect((samples.max() ?? 0) - (samples.min() ?? 0) > nominal * 0.5)
    }

    @Test func laterAttemptsWaitLongerOnAverage() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30)
        func mean(_ attempt: Int) -> Double {
            (0..<400).map { _ in policy.delay(after: attempt, retryAfter: nil) }.reduce(0, +) / 400
        }
        let means = (1...4).map(mean)
        for (earlier, later) in zip(means, means.dropFirst()) {
            #expect(later / earlier > 1.6 && later / earlier < 2.5, "\(means)")
        }
    }

    @Test func backoffIsCappedByTheMaximumDelay() {
        let policy = RetryPolicy(maxAttempts: 20, baseDelay: 1, maxDelay: 5)
        for attempt in 4...20 {
            let delay = policy.delay(after: attempt, retryAfter: nil)
            #expect(delay <= 5 && delay > 0, "attempt \(attempt): \(delay)")
        }
    }

    @Test func theDefaultsAreThreeAttempts() {
        let policy = RetryPolicy()
        #expect(policy.maxAttempts == 3)
        #expect(policy.baseDelay == 0.5)
        #expect(policy.maxDelay == 30)
    }
}
