public import Foundation

/// The server's own files: the queue, each job's outputs, the uploads.
///
/// ```
/// <root>/queue.sqlite         jobs, events, attempts
/// <root>/jobs/<id>/video.mp4   and video.report.json, video.ass, poster.jpg
/// <root>/uploads/<id>/<file>   and <root>/uploads/<id>.json (what it is)
/// ```
/// Every file is written under a temporary name and renamed into place; ``sweep()`` removes what a
/// killed process left half-written.
public struct DataFolders: Sendable, Hashable {
    /// The data folder.
    public var root: URL

    /// Creates the layout under `root` (made on first use).
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// `$XDG_DATA_HOME/aishorts/server`, else `~/.local/share/aishorts/server`.
    public static var defaultRoot: URL {
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data).appendingPathComponent("aishorts/server")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/aishorts/server")
    }

    /// The queue's database.
    public var queue: URL { root.appendingPathComponent("queue.sqlite") }
    /// Where uploads live.
    public var uploads: URL { root.appendingPathComponent("uploads", isDirectory: true) }
    /// Where jobs' outputs live.
    public var jobs: URL { root.appendingPathComponent("jobs", isDirectory: true) }
    /// One job's folder.
    public func job(_ id: String) -> URL { jobs.appendingPathComponent(id, isDirectory: true) }
    /// A job's video.
    public func video(_ id: String) -> URL { job(id).appendingPathComponent("video.mp4") }
    /// A job's run report.
    public func report(_ id: String) -> URL { RunReport.location(for: video(id)) }
    /// A job's captions (ASS).
    public func captions(_ id: String) -> URL { job(id).appendingPathComponent("video.ass") }
    /// A job's poster frame.
    public func poster(_ id: String) -> URL { job(id).appendingPathComponent("poster.jpg") }
    /// A frame from the middle of scene `scene` (1-based) of a job's video, made when first asked for.
    public func sceneThumbnail(_ id: String, scene: Int) -> URL { job(id).appendingPathComponent("scene-\(scene).jpg") }
    /// A frame of candidate `candidate` (1-based, as the report lists them) of scene `scene`, a library file.
    public func candidateThumbnail(_ id: String, scene: Int, candidate: Int) -> URL {
        job(id).appendingPathComponent("scene-\(scene)-candidate-\(candidate).jpg")
    }

    /// Makes the folders.
    /// - Throws: ``JobError`` `storage` naming the folder.
    public func create() throws(JobError) {
        for folder in [root, uploads, jobs] {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw JobError(.storage, "cannot create the data folder \(folder.path) (\(JobSpec.reason(error))); choose another with --data")
            }
        }
    }

    /// Removes half-written files (`.*.partial.*`, `*.tmp`) from the jobs and uploads; returns how many.
    @discardableResult
    public func sweep() -> Int {
        var removed = 0
        for folder in [jobs, uploads] {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker {
                let name = file.lastPathComponent
                if name.contains(".partial.") || name.hasSuffix(".tmp") || name.hasPrefix(".incoming-") {
                    if (try? FileManager.default.removeItem(at: file)) != nil { removed += 1 }
                }
            }
        }
        return removed
    }

    /// Stops the ffmpeg processes a killed server left rendering into this folder; returns how many.
    ///
    /// A server killed with -9 cannot stop its children, and an orphaned ffmpeg keeps writing its
    /// partial file. Only a process whose command line names this data folder's `jobs/` is touched,
    /// and only by the process holding the folder's lock (so no live server owns it).
    @discardableResult
    public func stopOrphanedRenders() -> Int {
        let marker = jobs.path + "/"
        var stopped = 0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let program = arguments.first, (program as NSString).lastPathComponent == "ffmpeg",
                  arguments.contains(where: { $0.hasPrefix(marker) }) else { continue }
            if kill(pid, SIGKILL) == 0 { stopped += 1 }
        }
        return stopped
    }

    /// Removes a job's folder.
    public func removeJob(_ id: String) {
        try? FileManager.default.removeItem(at: job(id))
    }
}

/// An exclusive lock on a data folder, so two servers never share one SQLite queue.
///
/// Held for the lifetime of the value's file descriptor: the kernel drops it when the process dies,
/// so a server killed with -9 leaves no stale lock behind.
public final class DataFolderLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `folders`.
    /// - Throws: ``JobError`` `storage` when another process holds it.
    public init(_ folders: DataFolders) throws(JobError) {
        try folders.create()
        let path = folders.root.appendingPathComponent("server.lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JobError(.storage, "cannot open \(path); check the data folder is writable") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw JobError(.storage, "another aishorts server uses the data folder \(folders.root.path); stop it, or give this one another --data")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
