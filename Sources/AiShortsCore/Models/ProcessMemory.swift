import Foundation
#if canImport(Glibc)
import Glibc
import CMalloc
#endif

/// This process's memory, as the model manager logs and budgets it.
public enum ProcessMemory {
    /// Resident set size of this process in bytes, from `/proc/self/statm`; 0 where that is unavailable.
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Resident anonymous memory (heap, stacks, ONNX Runtime's arenas) in bytes, from `/proc/self/status`.
    ///
    /// Unlike ``residentBytes()`` it leaves out file-backed pages: the code and read-only data of shared
    /// libraries (ONNX Runtime, ICU's tables) that stay mapped once used and that the kernel can drop at
    /// will. What a released model leaves behind shows here.
    public static func anonymousBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    /// Gives freed heap memory back to the system.
    ///
    /// glibc keeps freed blocks in its arenas for reuse; after a model is released that would keep the
    /// process's RSS where it was with the model loaded, so the manager trims after every release.
    public static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// Makes glibc serve every allocation of 256 KiB or more with its own mapping, returned to the system
    /// the moment it is freed.
    ///
    /// By default glibc raises that threshold each time such a block is freed (up to 32 MiB), so once a
    /// model has been released, the tensors of the next one come from the heap arenas instead, where
    /// freeing leaves holes that `malloc_trim` cannot always return: RSS after a second release stayed
    /// 30–40 MB higher on a busy machine. Fixing the threshold keeps model memory returnable for the
    /// life of a server. Idempotent; the model manager calls it when it is created.
    public static func keepLargeBlocksReturnable() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 10)
        #endif
    }

    /// `bytes` as mebibytes with one decimal, for logs and messages.
    public static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
