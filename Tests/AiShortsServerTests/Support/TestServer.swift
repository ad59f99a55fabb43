import AiShortsCore
import AiShortsServer
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// A real server on a loopback port, in this process, with its own data and cache folders.
struct TestServer: Sendable {
    let base: URL
    /// The in-process server, or `nil` when the server is a child process.
    let server: ShortsServer?
    let folder: URL
    var token: String?

    /// Runs `body` against a fresh server configured by `configure`, then shuts it down gracefully.
    static func with<T: Sendable>(
        folder: URL? = nil,
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        // A folder made here is removed at the end; one the caller names is the caller's.
        let owned = folder == nil
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if owned { try? FileManager.default.removeItem(at: folder) } }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.data = folder.appendingPathComponent("data")
        configuration.cache = folder.appendingPathComponent("cache")
        configuration.llmConfig = folder.appendingPathComponent("no-llm.yaml")
        configure(&configuration)
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        let (ports, portFeed) = AsyncStream<Int>.makeStream()
        let server = try ShortsServer(configuration: configuration, logger: logger) { port in portFeed.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestServerError("the server did not start") }
            let test = TestServer(base: URL(string: "http://127.0.0.1:\(port)")!, server: server, folder: folder, token: configuration.token)
            do {
                let result = try await body(test)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A response read whole.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The error object's code, message and field.
    var error: (code: String, message: String, field: String?)? {
        guard let error = json["error"] as? [String: Any], let code = error["code"] as? String, let message = error["message"] as? String else { return nil }
        return (code, message, error["field"] as? String)
    }
}

extension TestServer {
    /// Sends a request and reads the whole answer.
    func request(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = [], authorized: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if authorized, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    func post(_ path: String, json: Any, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.POST, path, body: try JSONSerialization.data(withJSONObject: json), headers: [("Content-Type", "application/json")] + headers)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.GET, path, headers: headers)
    }

    /// Creates a job and returns its identifier.
    func create(_ body: [String: Any]) async throws -> String {
        let reply = try await post("/api/v1/jobs", json: body)
        guard reply.status == 202, let id = reply.json["id"] as? String else {
            throw TestServerError("POST /jobs answered \(reply.status): \(reply.text)")
        }
        return id
    }

    /// The job's events as server-sent events, until the stream ends (after the final state).
    func events(_ id: String, lastEventID: Int? = nil) async throws -> [SSEEvent] {
        var request = HTTPClientRequest(url: base.absoluteString + "/api/v1/jobs/\(id)/events")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        guard response.status == .ok else { throw TestServerError("events answered \(response.status)") }
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for try await buffer in response.body {
            events += parser.feed(String(buffer: buffer))
        }
        return events
    }

    /// Follows the job's events until `predicate` holds for one, and returns it (the stream is
    /// closed then). Throws if the stream ends first.
    func waitForEvent(_ id: String, _ predicate: (SSEEvent) -> Bool) async throws -> SSEEvent {
        var request = HTTPClientRequest(url: base.absoluteString + "/api/v1/jobs/\(id)/events")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        var parser = SSEParser()
        for try await buffer in response.body {
            for event in parser.feed(String(buffer: buffer)) where predicate(event) { return event }
        }
        throw TestServerError("the event stream of \(id) ended without the awaited event")
    }

    /// Waits for the job's final state, through its event stream.
    func finalState(_ id: String) async throws -> String {
        let events = try await events(id)
        guard let last = events.last(where: { $0.event == "state" }), let state = last.data["state"] as? String else {
            throw TestServerError("no state event for \(id)")
        }
        return state
    }

    func job(_ id: String) async throws -> [String: Any] {
        try await get("/api/v1/jobs/\(id)").json
    }
}

/// One server-sent event.
struct SSEEvent: Sendable {
    var id: Int
    var event: String
    /// The `data` line: a JSON object.
    var json: String

    var data: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:] }
}

/// Splits a server-sent-event stream into events, whatever the network's chunking.
struct SSEParser {
    private var pending = ""

    mutating func feed(_ text: String) -> [SSEEvent] {
        pending += text
        var events: [SSEEvent] = []
        while let range = pending.range(of: "\n\n") {
            let block = pending[..<range.lowerBound]
            pending.removeSubrange(..<range.upperBound)
            var id: Int?
            var event = "message"
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            guard let id else { continue }
            events.append(SSEEvent(id: id, event: event, json: data))
        }
        return events
    }
}

/// The server suites that render: one at a time, so that on two cores they do not starve each other
/// and the rest of the suite (each runs ffmpeg at full tilt).
@Suite("server renders", .serialized) enum ServerRenders {}

/// The ffmpeg processes rendering into `folder` (their command line names a path inside it):
/// other tests' ffmpeg, running at the same time, do not count.
func ffmpegProcesses(writingInto folder: URL) -> [Int32] {
    let prefix = folder.standardizedFileURL.path + "/"
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.first.map { ($0 as NSString).lastPathComponent == "ffmpeg" } == true
            && arguments.contains { $0.hasPrefix(prefix) || $0.contains(prefix) }
    }
}
