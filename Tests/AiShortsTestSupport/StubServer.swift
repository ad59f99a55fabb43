import AiShortsCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Subprocess
import SystemPackage

/// The OpenAI-compatible stub server (`openai_stub.py`, beside this file), run with python3 on loopback.
public enum StubServer {
    /// The stub's source, next to this file.
    public static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("openai_stub.py")
    }

    /// The interpreter that `python3` on `PATH` runs, found once per test run: starting it directly
    /// skips a version manager's shim (pyenv's costs several processes per start), which matters on
    /// two cores with a server per test. `nil` (then `python3` is looked up each time) if it cannot say.
    public static let interpreter = Task<String?, Never> {
        let result = try? await Subprocess.run(
            .name("python3"), arguments: ["-c", "import sys; print(sys.executable)"], output: .string(limit: 4096), error: .discarded
        )
        guard let result, result.terminationStatus.isSuccess,
            case let path = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines),
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }

    /// Whether `python3` is on `PATH` (the stub-server tests are skipped without it).
    public static var available: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }
}

/// The stub did not start as expected.
public struct StubServerError: Error, CustomStringConvertible {
    public var description: String
}

/// Starts a fresh stub server (so its per-scenario call counts start at zero), runs `body` with its
/// base URL (`http://127.0.0.1:<port>`), then stops it with SIGTERM, whether `body` returned or threw.
public func withStubServer<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
    try await withLoopbackServer(script: StubServer.script, arguments: [], name: "stub server", body)
}

/// Runs a Python loopback server script (`--exit-on-stdin-eof` is added, so a crashed test run leaves
/// no server behind), waits for its first line `PORT <n>`, runs `body` with its base URL, then stops
/// it with SIGTERM, whether `body` returned or threw. `name` is used in errors.
public func withLoopbackServer<T: Sendable>(
    script: URL, arguments: [String], name: String, _ body: (URL) async throws -> T
) async throws -> T {
    let python = await StubServer.interpreter.value.map { Executable.path(FilePath($0)) } ?? .name("python3")
    let execution = try await Subprocess.run(
        python,
        arguments: Arguments([script.path, "--exit-on-stdin-eof"] + arguments),
        input: .inputWriter,
        output: .sequence,
        error: .discarded
    ) { execution -> Result<T, any Error> in
        var lines = execution.standardOutput.strings().makeAsyncIterator()
        let outcome: Result<T, any Error>
        do {
            guard let first = try await lines.next() else {
                throw StubServerError(description: "the \(name) exited before printing its port")
            }
            guard first.hasPrefix("PORT "), let port = Int(first.dropFirst(5).trimmingCharacters(in: .whitespaces)),
                let base = URL(string: "http://127.0.0.1:\(port)")
            else {
                throw StubServerError(description: "the \(name)'s first line was \"\(first)\", not PORT <n>")
            }
            outcome = .success(try await body(base))
        } catch {
            outcome = .failure(error)
        }
        try? execution.send(signal: .terminate)
        // Keep reading until the pipe closes, so the server can exit.
        while (try? await lines.next()) != nil {}
        return outcome
    }
    return try execution.closureResult.get()
}

/// One request the stub received, as `GET /_requests` reports it.
public struct RecordedRequest: Decodable, Sendable {
    /// The JSON body of a chat-completions request (fields the client sends).
    public struct Body: Decodable, Sendable {
        public struct StreamOptions: Decodable, Sendable {
            public var include_usage: Bool?
        }
        public struct ResponseFormat: Decodable, Sendable {
            public struct Schema: Decodable, Sendable {
                public var name: String?
                public var strict: Bool?
                public var schema: SchemaShape?
            }
            /// Enough of the JSON schema to see that it is the script's.
            public struct SchemaShape: Decodable, Sendable {
                public var type: String?
                public var required: [String]?
            }
            public var type: String
            public var json_schema: Schema?
        }
        public var model: String?
        public var messages: [ChatMessage]?
        public var temperature: Double?
        public var stream: Bool?
        public var stream_options: StreamOptions?
        public var response_format: ResponseFormat?
    }

    public var scenario: String
    public var path: String
    /// Seconds since 1970 when the stub received it.
    public var time: Double
    /// Headers, names lower-cased.
    public var headers: [String: String]
    public var body: Body?
}

/// Every request the stub at `base` has received so far, oldest first.
public func requests(_ base: URL) async throws -> [RecordedRequest] {
    let (data, response) = try await URLSession.shared.data(from: base.appendingPathComponent("_requests"))
    let status = (response as? HTTPURLResponse)?.statusCode
    guard status == 200 else { throw StubServerError(description: "GET /_requests answered \(status.map(String.init) ?? "no status")") }
    return try JSONDecoder().decode([RecordedRequest].self, from: data)
}
