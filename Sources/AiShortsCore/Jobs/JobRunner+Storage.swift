import Foundation

extension JobRunner {
    /// Moves a finished job's outputs from this worker's scratch folder to the shared storage, where
    /// every API node serves them.
    ///
    /// Each file is copied under a name unique to this attempt (`.NAME.TOKEN.partial`; the storage
    /// may be a network folder several workers write at once), then renamed into place, so a reader
    /// never sees half a file and two attempts of one job never write the same temporary file. The
    /// report goes last: a job whose report is there has all its files. The scratch copy is removed.
    nonisolated func publish(_ id: String) throws {
        let manager = FileManager.default
        let target = storage.job(id)
        do {
            try manager.createDirectory(at: target, withIntermediateDirectories: true)
        } catch {
            throw JobFailure(code: "storage", message: "cannot create \(target.path) in the shared storage (\(JobSpec.reason(error)))")
        }
        let token = UUID().uuidString.prefix(8).lowercased()
        let files = [folders.video(id), folders.captions(id), folders.poster(id), folders.report(id)]
        for file in files where manager.fileExists(atPath: file.path) {
            let destination = target.appendingPathComponent(file.lastPathComponent)
            let temporary = target.appendingPathComponent(".\(file.lastPathComponent).\(token).partial")
            do {
                try? manager.removeItem(at: temporary)
                try manager.copyItem(at: file, to: temporary)
                guard rename(temporary.path, destination.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? manager.removeItem(at: temporary)
                throw JobFailure(code: "storage", message: "cannot write \(destination.path) in the shared storage (\(JobSpec.reason(error)))",
                                 transient: true)
            }
        }
        folders.removeJob(id)
    }
}
