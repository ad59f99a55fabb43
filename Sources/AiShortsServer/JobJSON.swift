import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird

/// The job object clients see, and the JSON responses around it.
enum JobJSON {
    /// RFC 3339 with milliseconds, in UTC.
    static func date(_ date: Date?) -> Any {
        date.map { Date.ISO8601FormatStyle(includingFractionalSeconds: true).format($0) } ?? NSNull()
    }

    /// The job object: `id`, `state`, `stage`, `fraction`, `eta_seconds`, `attempts`, times, `error`,
    /// `title`, `links`, `report`.
    static func object(_ job: JobRecord) -> [String: Any] {
        let base = "/api/v1/jobs/\(job.id)"
        let done = job.state == .succeeded
        var report: Any = NSNull()
        if done, let text = job.report, let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) { report = value }
        return [
            "id": job.id,
            "state": job.state.rawValue,
            "stage": job.state == .running ? (job.stage ?? NSNull()) : NSNull(),
            "fraction": job.state == .succeeded ? 1.0 : (job.state == .running ? job.fraction : 0.0),
            "eta_seconds": job.state == .running ? (job.etaSeconds ?? NSNull()) : NSNull(),
            "attempts": job.attempts,
            "worker": job.state == .running ? worker(job.worker) : NSNull(),
            "created_at": date(job.createdAt),
            "started_at": date(job.startedAt),
            "finished_at": date(job.state.isTerminal || job.state == .draft ? job.finishedAt : nil),
            "error": job.error.map { ["code": $0.code, "message": $0.message] as [String: Any] } ?? NSNull(),
            "title": job.title ?? NSNull(),
            "links": [
                "self": base,
                "events": "\(base)/events",
                "spec": job.spec == nil ? NSNull() : "\(base)/spec" as Any,
                "video": done ? "\(base)/video" : NSNull() as Any,
                "report": done ? "\(base)/report" : NSNull() as Any,
                "poster": done ? "\(base)/poster" : NSNull() as Any,
                "captions": done ? "\(base)/captions" : NSNull() as Any,
            ] as [String: Any],
            "report": report,
        ]
    }

    /// The worker object from a worker's name, `HOST:PID:TOKEN` as ``JobRunner/Configuration`` makes it.
    static func worker(_ name: String?) -> Any {
        guard let name else { return NSNull() }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count >= 3 ? parts.dropLast(2).joined(separator: ":") : name
        let pid: Any = parts.count >= 3 ? (Int(parts[parts.count - 2]).map { $0 as Any } ?? NSNull()) : NSNull()
        return ["id": name, "host": host, "pid": pid] as [String: Any]
    }

    static func response(_ value: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
