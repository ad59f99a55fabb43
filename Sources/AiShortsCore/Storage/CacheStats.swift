/// Hit and miss counts of one cache during one job, for the run report.
public struct CacheCount: Sendable, Hashable, Codable {
    /// Lookups answered from the cache.
    public var hits: Int = 0
    /// Lookups that had to compute the entry.
    public var misses: Int = 0

    /// Creates a count.
    public init(hits: Int = 0, misses: Int = 0) {
        self.hits = hits
        self.misses = misses
    }
}

/// Counts cache hits and misses per cache while a job runs; shared by the job's concurrent stages.
public actor CacheStats {
    private var counts: [String: CacheCount] = [:]

    /// Creates empty statistics.
    public init() {}

    /// Records one lookup in the cache called `name`.
    public func record(_ name: String, hit: Bool) {
        var count = counts[name, default: CacheCount()]
        if hit { count.hits += 1 } else { count.misses += 1 }
        counts[name] = count
    }

    /// The counts so far, by cache name.
    public func snapshot() -> [String: CacheCount] { counts }
}
