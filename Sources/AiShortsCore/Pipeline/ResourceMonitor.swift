import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Samples the resident memory of this process and all its descendants, and CPU time, while a job runs.
///
/// Peak memory of the whole tree matters because most of the work happens in ffmpeg children, which
/// `getrusage` only reports after they exit and never summed with the parent. Sampling /proc every
/// 50 ms catches the sum while they run.
public actor ResourceMonitor {
    private var open: [String: Int] = [:]
    private var overallPeak = 0

    /// Creates a monitor; call ``run()`` in a child task to sample.
    public init() {}

    /// Samples until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            record(Self.treeResidentBytes())
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Starts tracking the peak for `name`.
    public func begin(_ name: String) {
        let now = Self.treeResidentBytes()
        open[name] = now
        record(now)
    }

    /// Stops tracking `name` and returns its peak in bytes.
    public func end(_ name: String) -> Int {
        record(Self.treeResidentBytes())
        return open.removeValue(forKey: name) ?? 0
    }

    /// The largest tree RSS seen since the monitor was created.
    public var peak: Int { overallPeak }

    private func record(_ bytes: Int) {
        overallPeak = max(overallPeak, bytes)
        for (name, peak) in open where bytes > peak { open[name] = bytes }
    }

    /// User plus system CPU seconds of this process and of its children that have been waited for.
    public nonisolated static func cpuSeconds() -> Double {
        var total = 0.0
        #if canImport(Glibc)
        let whos = [__rusage_who_t(RUSAGE_SELF.rawValue), __rusage_who_t(RUSAGE_CHILDREN.rawValue)]
        #else
        let whos = [RUSAGE_SELF, RUSAGE_CHILDREN]
        #endif
        for who in whos {
            var usage = rusage()
            getrusage(who, &usage)
            total += Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            total += Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return total
    }

    /// Resident bytes of this process plus every descendant, read from /proc (0 where there is no /proc).
    public nonisolated static func treeResidentBytes() -> Int {
        let root = Int(getpid())
        var parent: [Int: Int] = [:]
        var resident: [Int: Int] = [:]
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        for entry in entries {
            guard let pid = Int(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 21, let ppid = Int(fields[1]), let rss = Int(fields[21]) else { continue }
            parent[pid] = ppid
            resident[pid] = rss * page
        }
        var total = 0
        for (pid, bytes) in resident {
            var current = pid
            var depth = 0
            while current > 1, depth < 64 {
                if current == root {
                    total += bytes
                    break
                }
                current = parent[current] ?? 0
                depth += 1
            }
        }
        return total
    }
}
