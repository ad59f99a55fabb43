import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/batches`: a manifest of shorts (JSON, or YAML text) queued as one batch, and its progress.
struct BatchesController<Context: RequestContext> {
    let desk: JobDesk
    let maxBodyBytes: Int
    let isStopping: @Sendable () -> Bool

    func add(to router: Router<Context>) {
        router.post("api/v1/batches", use: create)
        router.get("api/v1/batches/:id", use: get)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        guard !isStopping() else { throw JobError(.shuttingDown, "the server is shutting down; try again in a moment") }
        let body = try await JobsController<Context>.body(request, limit: maxBodyBytes)
        guard let text = String(data: body, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw JobError.bad("body", "send the manifest as JSON or YAML: {\"shorts\": [{\"script\": \"...\"}]}")
        }
        let manifest: BatchManifest
        do { manifest = try BatchManifest.parse(text) } catch {
            let field = error.entry.map { "shorts[\($0)]" + (error.field.map { ".\($0)" } ?? "") } ?? error.field ?? "body"
            throw JobError(.badRequest, error.description, field: field)
        }
        let batch = try await desk.createBatch(manifest)
        return JobJSON.response(try await desk.batchObject(batch), status: .accepted, headers: [.location: "/api/v1/batches/\(batch.id)"])
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        return JobJSON.response(try await desk.batchObject(try desk.batch(id)))
    }
}
