import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird

/// The job object clients see, and the JSON responses around it.
enum JobJSON {
    /// RFC 3339 with milliseconds, in UTC.
    static func date(_ date: Date?) -> Any { JobRecord.apiDate(date) }

    /// The job object (``JobRecord/apiObject``).
    static func object(_ job: JobRecord) -> [String: Any] { job.apiObject }

    static func response(_ value: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
