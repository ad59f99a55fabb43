import AiShortsCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Subprocess
import SystemPackage
import Testing

/// The OpenAI-compatible stub server (`Script/openai_stub.py`), run with python3 on loopback.
enum StubServer {
    /// The stub's source, next to the writer's tests.
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Script/openai_stub.py")
    }

    /// The interpreter that `python3` on `PATH` runs, found once per test run: starting it directly
    /// skips a version manager's shim (pyenv's costs several processes per start), which matters on
    /// two cores with a server per test. `nil` (then `python3` is looked up each time) if it cannot say.
    static let interpreter = Task<String?, Never> {
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
    static var available: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }
}

/// The stub did not start as expected.
struct StubServerError: Error, CustomStringConvertible {
    var description: String
}

/// Starts a fresh stub server (so its per-scenario call counts start at zero), runs `body` with its
/// base URL (`http://127.0.0.1:<port>`), then stops it with SIGTERM, whether `body` returned or threw.
func withStubServer<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
    let python = await StubServer.interpreter.value.map { Executable.path(FilePath($0)) } ?? .name("python3")
    let execution = try await Subprocess.run(
        python,
        // The stub also exits when this pipe closes, so a crashed test run leaves no server behind.
        arguments: [StubServer.script.path, "--exit-on-stdin-eof"],
        input: .inputWriter,
        output: .sequence,
        error: .discarded
    ) { execution -> Result<T, any Error> in
        var lines = execution.standardOutput.strings().makeAsyncIterator()
        let outcome: Result<T, any Error>
        do {
            guard let first = try await lines.next() else {
                throw StubServerError(description: "the stub server exited before printing its port")
            }
            guard first.hasPrefix("PORT "), let port = Int(first.dropFirst(5).trimmingCharacters(in: .whitespaces)),
                let base = URL(string: "http://127.0.0.1:\(port)")
            else {
                throw StubServerError(description: "the stub server's first line was \"\(first)\", not PORT <n>")
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
struct RecordedRequest: Decodable, Sendable {
    /// The JSON body of a chat-completions request (fields the client sends).
    struct Body: Decodable, Sendable {
        struct StreamOptions: Decodable, Sendable {
            var include_usage: Bool?
        }
        struct ResponseFormat: Decodable, Sendable {
            struct Schema: Decodable, Sendable {
                var name: String?
                var strict: Bool?
                var schema: SchemaShape?
            }
            /// Enough of the JSON schema to see that it is the script's.
            struct SchemaShape: Decodable, Sendable {
                var type: String?
                var required: [String]?
            }
            var type: String
            var json_schema: Schema?
        }
        var model: String?
        var messages: [ChatMessage]?
        var temperature: Double?
        var stream: Bool?
        var stream_options: StreamOptions?
        var response_format: ResponseFormat?
    }

    var scenario: String
    var path: String
    /// Seconds since 1970 when the stub received it.
    var time: Double
    /// Headers, names lower-cased.
    var headers: [String: String]
    var body: Body?
}

/// Every request the stub at `base` has received so far, oldest first.
func requests(_ base: URL) async throws -> [RecordedRequest] {
    let (data, response) = try await URLSession.shared.data(from: base.appendingPathComponent("_requests"))
    let status = (response as? HTTPURLResponse)?.statusCode
    guard status == 200 else { throw StubServerError(description: "GET /_requests answered \(status.map(String.init) ?? "no status")") }
    return try JSONDecoder().decode([RecordedRequest].self, from: data)
}
