import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// The job API of a running `aishorts serve`, over HTTP (`aishorts mcp --server`, `aishorts batch
/// --server`). Errors are the server's one-line messages as ``JobError``s with the same codes.
public struct RemoteShortsClient: ShortsClient {
    /// The server's base URL.
    public let server: URL
    private let token: String?
    private let client: HTTPClient

    /// Creates a client of `server` sending `token` as a bearer token. Call ``shutdown()`` when done.
    /// - Throws: ``JobError`` `badRequest` for a URL that is not http(s).
    public init(server: URL, token: String?) throws(JobError) {
        guard let scheme = server.scheme?.lowercased(), ["http", "https"].contains(scheme), server.host != nil else {
            throw JobError(.badRequest, "--server: expected the server's URL, such as http://127.0.0.1:8080")
        }
        self.server = server
        self.token = token
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The server: links are relative to it.
    public var baseURL: URL? { server }

    /// Queues a job.
    public func create(_ body: Data, idempotencyKey: String?) async throws -> Data {
        var headers = [("Content-Type", "application/json")]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return try await call(.POST, "/api/v1/jobs", body: body, headers: headers)
    }

    /// The job object.
    public func job(_ id: String) async throws -> Data { try await call(.GET, "/api/v1/jobs/\(try Self.checked(id))") }

    /// A page of jobs.
    public func list(state: String?, limit: Int, cursor: String?) async throws -> Data {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "limit", value: String(limit))]
            + (state.map { [URLQueryItem(name: "state", value: $0)] } ?? []) + (cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [])
        return try await call(.GET, "/api/v1/jobs?\(query.percentEncodedQuery ?? "")")
    }

    /// Cancels the job.
    public func cancel(_ id: String) async throws -> Data { try await call(.POST, "/api/v1/jobs/\(try Self.checked(id))/cancel") }

    /// Replaces the job's spec.
    public func replaceSpec(_ id: String, with spec: String) async throws -> Data {
        try await call(.PUT, "/api/v1/jobs/\(try Self.checked(id))/spec", body: Data(spec.utf8), headers: [("Content-Type", "application/yaml")])
    }

    /// Renders the job.
    public func render(_ id: String) async throws -> Data { try await call(.POST, "/api/v1/jobs/\(try Self.checked(id))/render") }

    /// The job's spec.
    public func spec(_ id: String) async throws -> String {
        String(decoding: try await call(.GET, "/api/v1/jobs/\(try Self.checked(id))/spec"), as: UTF8.self)
    }

    /// The server's voices.
    public func voices() async throws -> Data { try await call(.GET, "/api/v1/voices") }

    /// `nil`: the video is on the server.
    public func localVideo(_ id: String) -> URL? { nil }

    /// The job's server-sent events.
    public func follow(_ id: String, after sequence: Int) -> AsyncThrowingStream<JobEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await send(.GET, "/api/v1/jobs/\(try Self.checked(id))/events?after=\(sequence)",
                                                  headers: [("Accept", "text/event-stream")], timeout: .hours(24))
                    guard response.status == .ok else { throw try await Self.failure(response) }
                    var parser = JobEventStreamParser(job: id)
                    for try await buffer in response.body {
                        for event in parser.feed(String(buffer: buffer)) { continuation.yield(event) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Downloads the video.
    public func download(_ id: String, to destination: URL) async throws {
        let response = try await send(.GET, "/api/v1/jobs/\(try Self.checked(id))/video", timeout: .hours(1))
        guard response.status == .ok else { throw try await Self.failure(response) }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).part")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw JobError(.storage, "cannot write \(partial.path)")
        }
        do {
            for try await buffer in response.body { try handle.write(contentsOf: Data(buffer.readableBytesView)) }
            try handle.close()
            guard rename(partial.path, destination.path) == 0 else { throw JobError(.storage, "cannot move the video to \(destination.path): \(String(cString: strerror(errno)))") }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    private func call(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = []) async throws -> Data {
        let response = try await send(method, path, body: body, headers: headers, timeout: .seconds(60))
        guard (200..<300).contains(response.status.code) else { throw try await Self.failure(response) }
        return Data((try await response.body.collect(upTo: 16 << 20)).readableBytesView)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = [],
                      timeout: TimeAmount) async throws -> HTTPClientResponse {
        let base = server.absoluteString.hasSuffix("/") ? String(server.absoluteString.dropLast()) : server.absoluteString
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try await client.execute(request, timeout: timeout)
        } catch {
            throw JobError(.shuttingDown, "cannot reach the server at \(server.absoluteString): \(String(describing: error).oneLine.prefix(200))")
        }
    }

    /// The server's error object as a ``JobError`` with the same code.
    private static func failure(_ response: HTTPClientResponse) async throws -> JobError {
        let collected = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
        let data = Data(collected.readableBytesView)
        let error = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["error"] as? [String: Any]
        let status = Int(response.status.code)
        let message = error?["message"] as? String ?? "the server answered \(status)"
        let code: JobError.Code = switch status {
        case 404: .notFound
        case 409: .wrongState
        case 413: .tooLarge
        case 429: .queueFull
        case 503: .shuttingDown
        case 400..<500: .badRequest
        default: .storage
        }
        return JobError(code, message, field: error?["field"] as? String)
    }

    private static func checked(_ id: String) throws -> String {
        guard JobDesk.isJobID(id) else { throw JobError(.notFound, "no job \(id.prefix(80))") }
        return id
    }
}

/// Reads `text/event-stream` as it arrives: `id`, `event` and `data` lines, a blank line ends an event.
struct JobEventStreamParser {
    let job: String
    private var buffer = ""
    private var id = 0
    private var kind = ""
    private var data: [String] = []

    init(job: String) { self.job = job }

    mutating func feed(_ text: String) -> [JobEvent] {
        buffer += text
        var events: [JobEvent] = []
        while let newline = buffer.firstIndex(of: "\n") {
            let line = String(buffer[..<newline]).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            buffer = String(buffer[buffer.index(after: newline)...])
            if line.isEmpty {
                if !data.isEmpty, let kind = JobEvent.Kind(rawValue: kind) {
                    events.append(JobEvent(job: job, sequence: id, kind: kind, data: data.joined(separator: "\n"), time: Date()))
                }
                kind = ""
                data = []
                continue
            }
            let (field, value) = line.firstIndex(of: ":").map { (String(line[..<$0]), String(line[line.index(after: $0)...]).trimmingCharacters(in: .init(charactersIn: " "))) } ?? (line, "")
            switch field {
            case "id": id = Int(value) ?? id
            case "event": kind = value
            case "data": data.append(value)
            default: break
            }
        }
        return events
    }
}
