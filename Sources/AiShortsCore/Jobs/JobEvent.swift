public import Foundation

/// One thing that happened to a job, stored in order so a late client can replay it.
public struct JobEvent: Sendable, Hashable, Codable {
    /// The kinds of events, as server-sent events name them.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The job's state changed; `data` holds `state` (and `error` when it failed).
        case state
        /// A pipeline stage began.
        case stageStarted = "stage.started"
        /// A stage made progress: `fraction`, `eta_seconds`.
        case stageProgress = "stage.progress"
        /// A stage finished: `wall_seconds`, `cpu_seconds`, `peak_rss_bytes`.
        case stageFinished = "stage.finished"
        /// A note for the user (a fallback, a source that failed and why).
        case note
    }

    /// The job.
    public var job: String
    /// 1, 2, 3 … per job, in the order the events happened.
    public var sequence: Int
    /// What happened.
    public var kind: Kind
    /// A JSON object with the details.
    public var data: String
    /// When it happened.
    public var time: Date

    /// Creates an event.
    public init(job: String, sequence: Int, kind: Kind, data: String, time: Date) {
        self.job = job
        self.sequence = sequence
        self.kind = kind
        self.data = data
        self.time = time
    }

    /// Whether this event ends the job's stream: a terminal or draft state.
    public var isFinal: Bool {
        guard kind == .state, let state = JobEvent.stateName(in: data) else { return false }
        return JobState(rawValue: state).map { $0.isTerminal || $0 == .draft } ?? false
    }

    static func stateName(in data: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
        return object?["state"] as? String
    }
}

/// An event not yet stored: the queue gives it its sequence number and time.
public struct NewJobEvent: Sendable, Hashable {
    /// What happened.
    public var kind: JobEvent.Kind
    /// The details, as a JSON-encodable dictionary of plain values.
    public var data: String

    /// Creates an event whose details are `fields`, encoded as a JSON object.
    public init(_ kind: JobEvent.Kind, _ fields: [String: JSONScalar]) {
        self.kind = kind
        self.data = JSONScalar.object(fields)
    }
}

/// A plain JSON value for event details: text, a number, a flag or null.
public enum JSONScalar: Sendable, Hashable {
    /// Text.
    case text(String)
    /// A number.
    case number(Double)
    /// A whole number.
    case integer(Int)
    /// True or false.
    case flag(Bool)
    /// Null.
    case null

    /// `fields` as a compact JSON object with sorted keys.
    public static func object(_ fields: [String: JSONScalar]) -> String {
        var object: [String: Any] = [:]
        for (key, value) in fields {
            switch value {
            case .text(let text): object[key] = text
            case .number(let number): object[key] = number.isFinite ? number : NSNull()
            case .integer(let integer): object[key] = integer
            case .flag(let flag): object[key] = flag
            case .null: object[key] = NSNull()
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
