import Foundation
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every API request but health and readiness.
///
/// The comparison takes the same time wherever the first difference is, so the response time does
/// not reveal how much of a guessed token was right.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    /// Paths anyone may read: liveness and readiness probes, the API's description, and the studio's
    /// page and files (static, no data: the page asks the person for the token and sends it).
    static func isOpen(_ path: String) -> Bool {
        ["/api/v1/health", "/api/v1/ready", "/api/v1/openapi.yaml", "/"].contains(path) || path.hasPrefix("/studio/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options || Self.isOpen(request.uri.path) {
            return try await next(request, context)
        }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.equal(Array(header.dropFirst(prefix.count).utf8), token) else {
            var error = APIError(.unauthorized, "unauthorized", "this server needs a token: send Authorization: Bearer <token>")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
        return try await next(request, context)
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0
    }
}
