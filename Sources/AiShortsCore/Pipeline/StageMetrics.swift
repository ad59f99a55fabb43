/// Cost of one stage (or of a whole job): wall time, CPU time and peak memory of the process tree.
public struct StageMetrics: Sendable, Hashable, Codable {
    /// Elapsed seconds.
    public var wallSeconds: Double
    /// User plus system CPU seconds of this process and its finished children during the stage.
    ///
    /// Stages that overlap (narration and footage) each count the CPU of both.
    public var cpuSeconds: Double
    /// The largest resident memory seen, summed over this process and all its descendants, sampled
    /// every 50 ms.
    public var peakTreeRSSBytes: Int

    /// Creates metrics.
    public init(wallSeconds: Double, cpuSeconds: Double, peakTreeRSSBytes: Int) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakTreeRSSBytes = peakTreeRSSBytes
    }
}
