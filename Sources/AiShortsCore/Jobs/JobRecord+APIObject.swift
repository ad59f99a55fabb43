public import Foundation

extension JobRecord {
    /// RFC 3339 with milliseconds, in UTC.
    public static func apiDate(_ date: Date?) -> Any {
        date.map { Date.ISO8601FormatStyle(includingFractionalSeconds: true).format($0) } ?? NSNull()
    }

    /// The job object every front door shows (REST, MCP, webhooks): `id`, `state`, `stage`,
    /// `fraction`, `eta_seconds`, `attempts`, `worker`, times, `error`, `title`, `links`, `report`.
    public var apiObject: [String: Any] {
        let base = "/api/v1/jobs/\(id)"
        let done = state == .succeeded
        var reportValue: Any = NSNull()
        if done, let text = self.report, let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) { reportValue = value }
        return [
            "id": id,
            "state": state.rawValue,
            "stage": state == .running ? (stage ?? NSNull()) : NSNull(),
            "fraction": state == .succeeded ? 1.0 : (state == .running ? fraction : 0.0),
            "eta_seconds": state == .running ? (etaSeconds ?? NSNull()) : NSNull(),
            "attempts": attempts,
            "worker": state == .running ? Self.workerObject(worker) : NSNull(),
            "created_at": Self.apiDate(createdAt),
            "started_at": Self.apiDate(startedAt),
            "finished_at": Self.apiDate(state.isTerminal || state == .draft ? finishedAt : nil),
            "error": error.map { ["code": $0.code, "message": $0.message] as [String: Any] } ?? NSNull(),
            "title": title ?? NSNull(),
            "links": [
                "self": base,
                "events": "\(base)/events",
                "spec": spec == nil ? NSNull() : "\(base)/spec" as Any,
                "video": done ? "\(base)/video" : NSNull() as Any,
                "report": done ? "\(base)/report" : NSNull() as Any,
                "poster": done ? "\(base)/poster" : NSNull() as Any,
                "captions": done ? "\(base)/captions" : NSNull() as Any,
            ] as [String: Any],
            "report": reportValue,
        ]
    }

    /// The worker object from a worker's name, `HOST:PID:TOKEN` as ``JobRunner/Configuration`` makes it.
    static func workerObject(_ name: String?) -> Any {
        guard let name else { return NSNull() }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count >= 3 ? parts.dropLast(2).joined(separator: ":") : name
        let pid: Any = parts.count >= 3 ? (Int(parts[parts.count - 2]).map { $0 as Any } ?? NSNull()) : NSNull()
        return ["id": name, "host": host, "pid": pid] as [String: Any]
    }
}
