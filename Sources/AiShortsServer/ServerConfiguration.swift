public import AiShortsCore
public import Foundation

/// Everything `aishorts serve` is told: where to listen, where its files live, how much to do at once.
///
/// The job host's settings (data and cache folders, workers, memory, queue, LLM, webhooks) live in
/// ``jobHost`` and read and write as this configuration's own (`configuration.jobs = 1`).
@dynamicMemberLookup
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless a token is set.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (tests).
    public var port = 8080
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
    /// What the job host behind the API is told.
    public var jobHost = JobHost.Configuration()

    /// Creates the defaults.
    public init() {}

    /// The job host's settings, as this configuration's own.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<JobHost.Configuration, Value>) -> Value {
        get { jobHost[keyPath: keyPath] }
        set { jobHost[keyPath: keyPath] = newValue }
    }

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// The problem with this configuration, as one line, or `nil`.
    public func problem() -> String? {
        if !isLoopback, token == nil {
            return "--host \(host) would let anyone on the network make and read shorts; set a token first (--token-file FILE or AISHORTS_TOKEN), or keep the default --host 127.0.0.1"
        }
        if let webhookSecret = jobHost.webhookSecret, webhookSecret.count < 16 { return "the webhook secret is \(webhookSecret.count) characters; use at least 16 (e.g. `openssl rand -hex 32`)" }
        if let token, token.count < 16 { return "the token is \(token.count) characters; use at least 16 (e.g. `openssl rand -hex 24`)" }
        if jobHost.jobs < 0 { return "--jobs must be 0 or more" }
        if jobHost.memoryBudgetMB < 64 { return "--memory-budget must be at least 64 (MB)" }
        if jobHost.database == nil, jobHost.storage != nil { return "--storage is for nodes sharing a --database queue; without one, outputs live in --data" }
        if maxUploadMB < 1 { return "--max-upload-mb must be at least 1" }
        if jobHost.maxQueued < 1 { return "--max-queued must be at least 1" }
        for library in jobHost.libraries {
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
