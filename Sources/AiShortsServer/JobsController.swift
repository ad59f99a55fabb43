import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/jobs`: create, list, read, edit, render, retry, cancel and delete jobs.
struct JobsController<Context: RequestContext> {
    let desk: JobDesk
    let maxBodyBytes: Int
    let isStopping: @Sendable () -> Bool

    func add(to router: Router<Context>) {
        let jobs = router.group("api/v1/jobs")
        jobs.post(use: create)
        jobs.get(use: list)
        jobs.get(":id", use: get)
        jobs.delete(":id", use: delete)
        jobs.post(":id/cancel", use: cancel)
        jobs.post(":id/retry", use: retry)
        jobs.post(":id/render", use: render)
        jobs.put(":id/spec", use: putSpec)
    }

    static var idempotencyKey: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        guard !isStopping() else { throw JobError(.shuttingDown, "the server is shutting down; try again in a moment") }
        let body = try await Self.body(request, limit: maxBodyBytes)
        let parsed = try JobRequest.parse(json: body)
        let (job, created) = try await desk.create(parsed, idempotencyKey: request.headers[Self.idempotencyKey])
        return JobJSON.response(JobJSON.object(job), status: created ? .accepted : .ok, headers: [.location: "/api/v1/jobs/\(job.id)"])
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        var state: JobState?
        if let raw = query["state"].map(String.init) {
            guard let value = JobState(rawValue: raw) else {
                throw JobError.bad("state", "\"\(raw.prefix(40))\" is not a state; use one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = value
        }
        var limit = 50
        if let raw = query["limit"].map(String.init) {
            guard let value = Int(raw), (1...200).contains(value) else { throw JobError.bad("limit", "expected a whole number from 1 to 200") }
            limit = value
        }
        let cursor = query["cursor"].map(String.init)
        if let cursor, Int(cursor) == nil { throw JobError.bad("cursor", "not a cursor this server gave") }
        let page = try await desk.queue.list(state: state, cursor: cursor, limit: limit)
        return JobJSON.response(["jobs": page.jobs.map(JobJSON.object), "next_cursor": page.nextCursor.map { $0 as Any } ?? NSNull()])
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        JobJSON.response(JobJSON.object(try await desk.job(try Self.id(context))))
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        try await desk.delete(try Self.id(context))
        return Response(status: .noContent)
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        JobJSON.response(JobJSON.object(try await desk.cancel(try Self.id(context))), status: .accepted)
    }

    @Sendable func retry(_ request: Request, context: Context) async throws -> Response {
        JobJSON.response(JobJSON.object(try await desk.retry(try Self.id(context))), status: .accepted)
    }

    @Sendable func render(_ request: Request, context: Context) async throws -> Response {
        JobJSON.response(JobJSON.object(try await desk.render(try Self.id(context))), status: .accepted)
    }

    /// The body is the spec itself: YAML (any text type) or a JSON object.
    @Sendable func putSpec(_ request: Request, context: Context) async throws -> Response {
        let body = try await Self.body(request, limit: maxBodyBytes)
        guard let text = String(data: body, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw JobError.bad("spec", "send the spec as UTF-8 YAML or JSON")
        }
        return JobJSON.response(JobJSON.object(try await desk.replaceSpec(try Self.id(context), with: text)))
    }

    static func id(_ context: Context) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard JobDesk.isJobID(id) else { throw JobError(.notFound, "no job \(id.prefix(80))") }
        return id
    }

    /// The request body, refused past `limit` bytes.
    static func body(_ request: Request, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw JobError(.tooLarge, "the body is larger than \(limit >> 10) KB", field: "body")
        }
        var collected = Data()
        for try await buffer in request.body {
            collected.append(contentsOf: buffer.readableBytesView)
            guard collected.count <= limit else { throw JobError(.tooLarge, "the body is larger than \(limit >> 10) KB", field: "body") }
        }
        return collected
    }
}
