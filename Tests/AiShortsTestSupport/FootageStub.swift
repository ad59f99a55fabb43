import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Subprocess
import SystemPackage

/// Switches of the footage stub server (`footage_stub.py`): each maps to a command-line flag and to a
/// key of its `POST /_control`.
public struct FootageStubOptions: Sendable, Hashable, Encodable {
    /// The key the stub accepts (Pexels: `Authorization`, Pixabay: `key=`); `nil` accepts any.
    public var key: String?
    /// Milliseconds added before every answer.
    public var latencyMilliseconds: Int = 0
    /// Answer 429 to the first this many requests.
    public var rateLimit: Int = 0
    /// The `Retry-After` value sent with 429.
    public var retryAfter: String = "1"
    /// Answer 500 to the first this many requests (after rate limiting); -1: always.
    public var fail: Int = 0
    /// Searches find nothing.
    public var empty: Bool = false
    /// Media promise a longer body than they send, then close.
    public var truncate: Bool = false
    /// Media bytes are garbage (right length, not a video).
    public var corrupt: Bool = false
    /// Seconds of silence before any answer (a stalled host).
    public var stall: Double = 0
    /// Seconds of silence in the middle of a media body.
    public var stallBody: Double = 0
    /// The status a wrong key gets (401 or 403).
    public var refuseStatus: Int = 401
    /// Media and thumbnail requests get their connection reset before any answer.
    public var reset: Bool = false
    /// `bench`: 24 clips in six topics (two decoys each) instead of the six default ones; `paraphrase`: six
    /// clips described in other words than the scenes that want them; fixed at start.
    public var catalogue: String = "small"
    /// Another name of this server (`localhost`) that media and thumbnail links use, so clients see
    /// the API and the media as two hosts; fixed at start.
    public var mediaHost: String?

    /// Creates options; the defaults make a well-behaved server.
    public init(
        key: String? = nil, latencyMilliseconds: Int = 0, rateLimit: Int = 0, retryAfter: String = "1", fail: Int = 0,
        empty: Bool = false, truncate: Bool = false, corrupt: Bool = false, stall: Double = 0, stallBody: Double = 0,
        catalogue: String = "small", mediaHost: String? = nil, refuseStatus: Int = 401, reset: Bool = false
    ) {
        self.refuseStatus = refuseStatus
        self.reset = reset
        self.catalogue = catalogue
        self.mediaHost = mediaHost
        self.key = key
        self.latencyMilliseconds = latencyMilliseconds
        self.rateLimit = rateLimit
        self.retryAfter = retryAfter
        self.fail = fail
        self.empty = empty
        self.truncate = truncate
        self.corrupt = corrupt
        self.stall = stall
        self.stallBody = stallBody
    }

    enum CodingKeys: String, CodingKey {
        case key, fail, empty, truncate, corrupt, stall, reset
        case latencyMilliseconds = "latency_ms", rateLimit = "rate_limit", retryAfter = "retry_after", stallBody = "stall_body"
        case refuseStatus = "refuse_status"
    }

    var arguments: [String] {
        var arguments: [String] = []
        if let key { arguments += ["--key", key] }
        if latencyMilliseconds != 0 { arguments += ["--latency-ms", String(latencyMilliseconds)] }
        if rateLimit != 0 { arguments += ["--rate-limit", String(rateLimit), "--retry-after", retryAfter] }
        if fail != 0 { arguments += ["--fail", String(fail)] }
        if empty { arguments.append("--empty") }
        if truncate { arguments.append("--truncate") }
        if corrupt { arguments.append("--corrupt") }
        if stall != 0 { arguments += ["--stall", String(stall)] }
        if stallBody != 0 { arguments += ["--stall-body", String(stallBody)] }
        if refuseStatus != 401 { arguments += ["--refuse-status", String(refuseStatus)] }
        if reset { arguments.append("--reset") }
        if catalogue != "small" { arguments += ["--catalogue", catalogue] }
        if let mediaHost { arguments += ["--media-host", mediaHost] }
        return arguments
    }
}

/// What the footage stub has seen, from `GET /_stats`. Kinds: `pexels`, `pixabay`, `media`, `thumbs`, `watch`.
public struct FootageStubStats: Decodable, Sendable {
    /// Requests in all (`/_*` not counted).
    public var total: Int
    /// Requests per path.
    public var paths: [String: Int]
    /// Requests per kind.
    public var kinds: [String: Int]
    /// The most requests of one kind that were in flight at once.
    public var maxInFlight: [String: Int]
    /// When each request of a kind arrived (seconds since 1970), in order.
    public var starts: [String: [Double]]

    enum CodingKeys: String, CodingKey {
        case total, paths, kinds, starts
        case maxInFlight = "max_in_flight"
    }
}

/// A running footage stub server.
public struct FootageStub: Sendable {
    /// `http://127.0.0.1:<port>`: the base URL for both Pexels and Pixabay.
    public var baseURL: URL

    /// The stub's counts so far.
    public func stats() async throws -> FootageStubStats {
        let (data, _) = try await URLSession.shared.data(from: baseURL.appendingPathComponent("_stats"))
        return try JSONDecoder().decode(FootageStubStats.self, from: data)
    }

    /// Replaces the stub's switches (and, with `resetStats`, its counts and injected-failure counters).
    public func update(_ options: FootageStubOptions, resetStats: Bool = false) async throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(options)) as? [String: Any] ?? [:]
        if object["key"] == nil { object["key"] = NSNull() }
        if resetStats { object["reset_stats"] = true }
        var request = URLRequest(url: baseURL.appendingPathComponent("_control"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: object)
        _ = try await URLSession.shared.data(for: request)
    }

    /// A page for yt-dlp's generic extractor: a JSON-LD VideoObject (20 s, with title, description,
    /// thumbnail) whose content is `/media/long.mp4`.
    public func watchURL(_ id: String) -> URL { baseURL.appendingPathComponent("watch/\(id)") }

    /// The 20 s test video (320x240, keyframe every second, with sound).
    public var longVideoURL: URL { baseURL.appendingPathComponent("media/long.mp4") }
}

extension FootageStub {
    /// The stub's source, next to this file.
    public static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("footage_stub.py")
    }

    /// The stub's media, made by ffmpeg once per test run (and kept in the temp folder between runs),
    /// so parallel tests do not each run ffmpeg. The folder, or the reason it could not be made.
    static let media = Task<Result<String, StubServerError>, Never> {
        let python = await StubServer.interpreter.value.map { Executable.path(FilePath($0)) } ?? .name("python3")
        do {
            let result = try await Subprocess.run(
                python, arguments: [script.path, "--prepare-only"], output: .string(limit: 65_536), error: .string(limit: 65_536)
            )
            let line = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("MEDIA ") }
            guard result.terminationStatus.isSuccess, let line else {
                return .failure(StubServerError(description: "footage_stub.py could not make its media: \(result.standardError.suffix(600))"))
            }
            return .success(String(line.dropFirst(6)))
        } catch {
            return .failure(StubServerError(description: "footage_stub.py could not be run: \(error)"))
        }
    }
}

/// Starts a fresh footage stub with `options`, runs `body` with it, then stops it with SIGTERM,
/// whether `body` returned or threw. The stub also exits when the test process goes away.
public func withFootageStub<T: Sendable>(_ options: FootageStubOptions = FootageStubOptions(), _ body: (FootageStub) async throws -> T) async throws -> T {
    let folder = try await FootageStub.media.value.get()
    return try await withLoopbackServer(
        script: FootageStub.script, arguments: ["--media-dir", folder] + options.arguments, name: "footage stub"
    ) { base in
        try await body(FootageStub(baseURL: base))
    }
}
