import AiShortsCore
import Foundation
import Subprocess
import SystemPackage

/// `aishorts worker` processes for the scale-out tests and the workers benchmark.
public enum WorkerProcesses {
    /// Runs one `binary` process per entry of `arguments`, waits for each to print its
    /// `aishorts worker: …` line, runs `body` with their pids, then stops them all with SIGTERM.
    ///
    /// - Throws: ``JobError`` `storage` when a worker exits or says something else first; `body`'s errors.
    public static func with<T: Sendable>(
        binary: String, arguments: [[String]], _ body: @escaping @Sendable ([Int32]) async throws -> T
    ) async throws -> T {
        guard let first = arguments.first else { return try await body([]) }
        let result = try await Subprocess.run(.path(FilePath(binary)), arguments: Arguments(first),
                                              input: .none, output: .sequence, error: .discarded) { execution -> Result<T, any Error> in
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            let outcome: Result<T, any Error>
            do {
                guard let line = try await lines.next(), line.hasPrefix("aishorts worker: ") else {
                    throw JobError(.storage, "worker \(arguments.count) did not start")
                }
                let pid = execution.processIdentifier.value
                outcome = .success(try await with(binary: binary, arguments: Array(arguments.dropFirst())) { others in
                    try await body(others + [pid])
                })
            } catch {
                outcome = .failure(error)
            }
            try? execution.send(signal: .terminate)
            while (try? await lines.next()) != nil {}
            return outcome
        }
        return try result.closureResult.get()
    }
}
