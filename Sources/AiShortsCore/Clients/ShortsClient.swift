public import Foundation

/// The job API as the MCP tools and batches use it, wherever the jobs run: in this process
/// (``LocalShortsClient``) or on a server (``RemoteShortsClient``).
///
/// Results are the API's JSON, byte for byte what `GET /api/v1/jobs/{id}` answers, so an agent sees
/// the same job object through every door. Failures are ``JobError``s with the server's one line.
public protocol ShortsClient: Sendable {
    /// Queues a job from a `POST /api/v1/jobs` body; returns the job object.
    func create(_ body: Data, idempotencyKey: String?) async throws -> Data
    /// The job object.
    func job(_ id: String) async throws -> Data
    /// `{"jobs": [...], "next_cursor": ...}`, newest first.
    func list(state: String?, limit: Int, cursor: String?) async throws -> Data
    /// Cancels the job; returns the job object.
    func cancel(_ id: String) async throws -> Data
    /// Replaces a draft's or finished job's spec; returns the job object.
    func replaceSpec(_ id: String, with spec: String) async throws -> Data
    /// Renders a draft (or a finished job again); returns the job object.
    func render(_ id: String) async throws -> Data
    /// The job's spec as YAML.
    func spec(_ id: String) async throws -> String
    /// `{"voices": [...]}`.
    func voices() async throws -> Data
    /// The job's events after `sequence`, then the live ones, ending after its final state event.
    func follow(_ id: String, after sequence: Int) -> AsyncThrowingStream<JobEvent, any Error>
    /// Copies the finished video to `destination` (a temporary name beside it, then a rename).
    func download(_ id: String, to destination: URL) async throws
    /// The finished video's path when it is on this machine, else `nil`.
    func localVideo(_ id: String) -> URL?
    /// The base URL links are relative to (`nil` in process).
    var baseURL: URL? { get }
}

/// The fields of a job object a client acts on.
public struct JobSummary: Sendable, Hashable {
    /// The job's identifier.
    public var id: String
    /// Its state.
    public var state: JobState
    /// The stage running now.
    public var stage: String?
    /// The stage's progress, 0…1.
    public var fraction: Double
    /// The one-line error of a failed job.
    public var error: String?
    /// The title.
    public var title: String?

    /// Reads a job object.
    /// - Throws: ``JobError`` `storage` when the JSON is not a job object.
    public init(json: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any], let id = object["id"] as? String,
              let state = (object["state"] as? String).flatMap(JobState.init(rawValue:)) else {
            throw JobError(.storage, "the answer is not a job object")
        }
        self.id = id
        self.state = state
        stage = object["stage"] as? String
        fraction = object["fraction"] as? Double ?? 0
        error = (object["error"] as? [String: Any])?["message"] as? String
        title = object["title"] as? String
    }
}

extension JSONSerialization {
    /// A JSON value as compact bytes with sorted keys (what every front door sends).
    static func compact(_ value: Any) -> Data {
        (try? data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}
