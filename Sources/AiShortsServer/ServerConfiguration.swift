public import AiShortsCore
public import Foundation

/// Everything `aishorts serve` is told: where to listen, where its files live, how much to do at once.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless a token is set.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (tests).
    public var port = 8080
    /// The data folder (queue, jobs, uploads).
    public var data = DataFolders.defaultRoot
    /// The cache folder (narrations, downloads, probes), shared with the CLI.
    public var cache = DiskCache.defaultRoot
    /// Folders of footage clients may name.
    public var libraries: [URL] = []
    /// Jobs made at once.
    public var jobs = 2
    /// Memory the renders and models may use together, in MB.
    public var memoryBudgetMB = 2048
    /// Idle time after which a model is released.
    public var releaseModels: Duration = .seconds(60)
    /// How long running jobs may go on once shutdown begins.
    public var grace: Duration = .seconds(30)
    /// Jobs that may wait.
    public var maxQueued = 100
    /// The largest upload, in MB.
    public var maxUploadMB = 500
    /// The largest JSON body, in bytes.
    public var maxBodyBytes = 1 << 20
    /// Event streams open at once.
    public var maxStreams = 64
    /// The bearer token clients must send, if any.
    public var token: String?
    /// The origin allowed to call the API from a browser, if any.
    public var cors: String?
    /// The LLM config file (default: `$AISHORTS_CONFIG` or `~/.config/aishorts/config.yaml`).
    public var llmConfig: URL?
    /// Lease and retry settings of the workers (tests shorten them).
    public var runner = JobRunner.Configuration()
    /// The shared PostgreSQL queue (`--database`); `nil`: the embedded SQLite queue in ``data``.
    public var database: PostgresURL?
    /// The folder of videos, reports, posters and uploads shared by every node (`--storage`); `nil`:
    /// inside ``data``.
    public var storage: URL?

    /// Creates the defaults.
    public init() {}

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// The problem with this configuration, as one line, or `nil`.
    public func problem() -> String? {
        if !isLoopback, token == nil {
            return "--host \(host) would let anyone on the network make and read shorts; set a token first (--token-file FILE or AISHORTS_TOKEN), or keep the default --host 127.0.0.1"
        }
        if let token, token.count < 16 { return "the token is \(token.count) characters; use at least 16 (e.g. `openssl rand -hex 24`)" }
        if jobs < 0 { return "--jobs must be 0 or more" }
        if database == nil, storage != nil { return "--storage is for nodes sharing a --database queue; without one, outputs live in --data" }
        if memoryBudgetMB < 64 { return "--memory-budget must be at least 64 (MB)" }
        if maxUploadMB < 1 { return "--max-upload-mb must be at least 1" }
        if maxQueued < 1 { return "--max-queued must be at least 1" }
        for library in libraries {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: library.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return "--library: no such folder \(library.path)"
            }
        }
        return nil
    }

    /// Reads a token file: its first line, without the trailing newline.
    public static func token(fromFile path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
    }
}
