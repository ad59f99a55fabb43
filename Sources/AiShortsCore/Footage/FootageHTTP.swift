public import Foundation
public import AsyncHTTPClient
import NIOCore

/// The one HTTP client the footage sources use: limits, pacing, timeouts, retries and streaming downloads.
///
/// Every request waits for its host's turn (``Settings/intervals``, without holding a slot, so other
/// hosts go on meanwhile), then for a slot (``Settings/perHostLimit`` per host, ``Settings/globalLimit``
/// in all), and is recorded in ``counter``. 429 is retried per ``retry``, honouring `Retry-After` up to
/// ``RetryPolicy/maxDelay`` (a longer wait fails at once with ``FootageError/Code-swift.struct/rateLimited``);
/// 5xx and unreachable hosts are retried with backoff; 401/403 fail at once with
/// ``FootageError/Code-swift.struct/unauthorized``. A timeout (whole request, or no bytes for
/// ``Settings/idleTimeout``) is not retried, and the host then gets one request at a time, so a slow
/// host costs one timeout. What failed is remembered in ``health`` for the client's life (a job): a
/// refused key is not sent again, nor a URL that failed; the remembered error is thrown instead,
/// marked ``FootageError/repeated``. Errors name the URL without API keys.
///
/// Lifetime: the `HTTPClient` is the caller's and must outlive every call; ``withClient(settings:retry:counter:clock:_:)``
/// creates one for a scope and shuts it down after.
public struct FootageHTTP: Sendable {
    /// Limits and timeouts.
    public struct Settings: Sendable, Hashable {
        /// The most requests in flight to one host (`host:port`).
        public var perHostLimit: Int
        /// The most requests in flight in all.
        public var globalLimit: Int
        /// Seconds to open a connection.
        public var connectTimeout: Double
        /// Seconds for a whole API (JSON) request, answer included.
        public var requestTimeout: Double
        /// Seconds for a whole download.
        public var downloadTimeout: Double
        /// Seconds without a single byte after which a request is abandoned (a stalled host).
        public var idleTimeout: Double
        /// The largest download accepted, in bytes.
        public var maxDownloadBytes: Int64
        /// The largest JSON answer accepted, in bytes.
        public var maxJSONBytes: Int
        /// Minimum seconds between request starts, per host (`host` or `host:port`).
        public var intervals: [String: Double]

        /// Creates settings; the defaults suit stock-video APIs on a home connection.
        public init(
            perHostLimit: Int = 4, globalLimit: Int = 8, connectTimeout: Double = 10, requestTimeout: Double = 30,
            downloadTimeout: Double = 600, idleTimeout: Double = 20, maxDownloadBytes: Int64 = 1 << 30,
            maxJSONBytes: Int = 16 << 20, intervals: [String: Double] = [:]
        ) {
            self.perHostLimit = perHostLimit
            self.globalLimit = globalLimit
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.downloadTimeout = downloadTimeout
            self.idleTimeout = idleTimeout
            self.maxDownloadBytes = maxDownloadBytes
            self.maxJSONBytes = maxJSONBytes
            self.intervals = intervals
        }
    }

    /// The shared client (owned by the caller).
    public let client: HTTPClient
    /// Limits and timeouts.
    public let settings: Settings
    /// When to retry 429, 5xx and unreachable hosts.
    public let retry: RetryPolicy
    /// Where every request (each attempt) is counted, by `host:port`.
    public let counter: RequestCounter?
    /// The concurrency limits, shared by every copy of this value.
    public let limiter: FootageLimiter
    /// Refused keys, failed URLs and stalled hosts, shared by every copy of this value.
    public let health: RemoteHealth
    let pacer: RequestPacer

    /// Creates the footage client on `client`, which the caller keeps alive and shuts down.
    ///
    /// - Parameter clock: what the per-host pacer waits on (tests pass a manual clock).
    public init(
        client: HTTPClient, settings: Settings = Settings(), retry: RetryPolicy = RetryPolicy(), counter: RequestCounter? = nil,
        clock: ErasedClock = .continuous
    ) {
        self.client = client
        self.settings = settings
        self.retry = retry
        self.counter = counter
        self.limiter = FootageLimiter(perHost: settings.perHostLimit, global: settings.globalLimit)
        self.health = RemoteHealth()
        self.pacer = RequestPacer(intervals: settings.intervals, clock: clock)
    }

    /// An `HTTPClient` configured for footage (connect timeout, redirects followed).
    public static func makeClient(settings: Settings = Settings()) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(settings.connectTimeout * 1000)))
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a footage client on a new `HTTPClient`, shut down when `body` ends or throws.
    public static func withClient<T: Sendable>(
        settings: Settings = Settings(), retry: RetryPolicy = RetryPolicy(), counter: RequestCounter? = nil,
        clock: ErasedClock = .continuous, _ body: (FootageHTTP) async throws -> T
    ) async throws -> T {
        let client = makeClient(settings: settings)
        do {
            let value = try await body(FootageHTTP(client: client, settings: settings, retry: retry, counter: counter, clock: clock))
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// GETs `url` and decodes its JSON answer.
    ///
    /// - Parameters:
    ///   - headers: extra request headers (an `Authorization` key, for instance).
    ///   - keyHint: what the user should set when the key is refused (`PEXELS_API_KEY`).
    /// - Throws: ``FootageError``: unauthorized, rateLimited, serverError, timeout, badResponse
    ///   (not JSON of that shape, or another HTTP status), downloadFailed (unreachable).
    public func json<T: Decodable & Sendable>(
        _ type: T.Type, from url: URL, headers: [String: String] = [:], keyHint: String? = nil
    ) async throws -> T {
        let limit = settings.maxJSONBytes
        let data = try await perform(url, headers: headers, keyHint: keyHint, timeout: settings.requestTimeout, isDownload: false) { response, beat in
            var bytes: [UInt8] = []
            for try await buffer in response.body {
                beat.touch()
                bytes += buffer.readableBytesView
                guard bytes.count <= limit else {
                    throw FootageError(.badResponse, file: Self.redacted(url), message: "\(Self.redacted(url)) answered more than \(limit >> 20) MB of JSON; check the source's base URL")
                }
            }
            return Data(bytes)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            let safe = Self.redacted(url)
            throw FootageError(.badResponse, file: safe, message: "\(safe) answered JSON this version cannot read (\(Self.describe(error))); check the source's base URL, or update AiShorts")
        }
    }

    /// Streams `url` into `destination` (through a temporary file beside it, renamed into place when whole).
    ///
    /// The body is never held in memory. A `Content-Length` that the body does not reach, or a connection
    /// lost mid-way, is ``FootageError/Code-swift.struct/truncated``; nothing is left at `destination` then.
    /// - Returns: the bytes written.
    /// - Throws: ``FootageError`` as ``json(_:from:headers:keyHint:)``, plus truncated, and downloadFailed
    ///   (HTTP 404 and the like, or larger than ``Settings/maxDownloadBytes``).
    @discardableResult
    public func download(_ url: URL, to destination: URL, headers: [String: String] = [:], keyHint: String? = nil) async throws -> Int64 {
        let cap = settings.maxDownloadBytes
        return try await perform(url, headers: headers, keyHint: keyHint, timeout: settings.downloadTimeout, isDownload: true) { response, beat in
            try await Self.stream(response, from: url, to: destination, cap: cap, beat: beat)
        }
    }

    /// `host:port` (or `host`), the key for limits, pacing and counting.
    public static func authority(of url: URL) -> String {
        let host = url.host ?? "unknown-host"
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// `url` without query values that could be keys (`key`, `api_key`, `token`, …), for messages.
    public static func redacted(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false), let items = parts.queryItems else {
            return url.absoluteString
        }
        let secret: Set<String> = ["key", "api_key", "apikey", "token", "access_token", "client_id", "signature"]
        parts.queryItems = items.map { secret.contains($0.name.lowercased()) ? URLQueryItem(name: $0.name, value: "REDACTED") : $0 }
        return parts.url?.absoluteString ?? url.absoluteString
    }
}
