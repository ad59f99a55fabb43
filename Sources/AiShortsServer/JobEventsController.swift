import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Synchronization

/// `GET /api/v1/jobs/{id}/events`: the job's events as server-sent events.
///
/// Every event is stored before it is sent, numbered per job: a client that connects late, or
/// reconnects with `Last-Event-ID`, gets exactly what it missed, then the live stream. The stream
/// ends after the job's final state event, and at once when the server shuts down.
struct JobEventsController<Context: RequestContext> {
    let desk: JobDesk
    let maxStreams: Int
    let open = Streams()

    /// Counts the streams open now.
    final class Streams: Sendable {
        private let count = Mutex(0)

        func enter(limit: Int) -> Bool {
            count.withLock { count in
                guard count < limit else { return false }
                count += 1
                return true
            }
        }

        func leave() { count.withLock { $0 -= 1 } }
    }

    func add(to router: Router<Context>) {
        router.get("api/v1/jobs/:id/events", use: events)
    }

    static var lastEventID: HTTPField.Name { HTTPField.Name("Last-Event-ID")! }

    @Sendable func events(_ request: Request, context: Context) async throws -> Response {
        let id = try JobsController<Context>.id(context)
        _ = try await desk.job(id)
        var after = 0
        if let raw = request.headers[Self.lastEventID] ?? request.uri.queryParameters["after"].map(String.init) {
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw JobError.bad("Last-Event-ID", "expected the number of the last event received")
            }
            after = value
        }
        guard open.enter(limit: maxStreams) else {
            var error = APIError(.tooManyRequests, "too_many_streams", "\(maxStreams) event streams are open already; close one or poll GET /api/v1/jobs/\(id)")
            error.headers[.retryAfter] = "5"
            throw error
        }
        let stream = desk.queue.follow(id, after: after)
        let streams = open
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { streams.leave() }
            // `retry` tells browsers how soon to reconnect (they send Last-Event-ID themselves).
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for try await event in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: Self.frame(event)))
            }
            try await writer.finish(nil)
        })
    }

    /// One event in the wire format: `id`, `event` and one `data` line of JSON.
    static func frame(_ event: JobEvent) -> String {
        let data = event.data.replacingOccurrences(of: "\n", with: " ")
        return "id: \(event.sequence)\nevent: \(event.kind.rawValue)\ndata: \(data)\n\n"
    }
}
