import Foundation
import Hummingbird

/// `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 document describing the API (tests check the server
/// against it, so the two cannot drift apart).
struct OpenAPIController<Context: RequestContext> {
    func add(to router: Router<Context>) {
        router.get("api/v1/openapi.yaml", use: document)
    }

    @Sendable func document(_ request: Request, context: Context) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw APIError(.internalServerError, "internal", "the OpenAPI document is missing from this build")
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
