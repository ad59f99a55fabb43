import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The one error shape every endpoint answers with: `{"error": {"code", "message", "field"?}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable code (`bad_request`, `not_found`, …).
    public var code: String
    /// The one-line message, the same the CLI prints.
    public var message: String
    /// The request field at fault.
    public var field: String?
    /// Extra headers (`Retry-After` on 429 and 503, `WWW-Authenticate` on 401).
    public var headers: HTTPFields = [:]

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message.oneLine
        self.field = field
    }

    /// The JSON body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: Any] = ["code": code, "message": message]
        if let field { error["field"] = field }
        let body = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The API error for any error a handler threw.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as JobError:
            return from(error)
        case let error as SpecError:
            return from(JobError(spec: error))
        case let error as HTTPError:
            let message = error.body ?? (error.status == .notFound ? "no such endpoint; see /api/v1/openapi.yaml" : error.status.reasonPhrase)
            return APIError(error.status, Self.code(for: error.status), message)
        case let error as any HTTPResponseError:
            return APIError(error.status, Self.code(for: error.status), "\(error)")
        default:
            return APIError(.internalServerError, "internal", String(describing: error))
        }
    }

    static func from(_ error: JobError) -> APIError {
        let status: HTTPResponse.Status
        var api: APIError
        switch error.code {
        case .badRequest: status = .badRequest
        case .notFound: status = .notFound
        case .wrongState, .conflict: status = .conflict
        case .queueFull: status = .tooManyRequests
        case .tooLarge: status = .contentTooLarge
        case .shuttingDown, .unavailable: status = .serviceUnavailable
        default: status = .internalServerError
        }
        api = APIError(status, code(for: status), error.message, field: error.field)
        if error.code == .queueFull || error.code == .shuttingDown { api.headers[.retryAfter] = "30" }
        if error.code == .unavailable { api.headers[.retryAfter] = "5" }
        return api
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "too_large"
        case 416: "range_not_satisfiable"
        case 429: "queue_full"
        case 503: "unavailable"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}

/// Turns every error a route throws, a missing route included, into the one JSON shape.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // The router found no route: a known path with another method is a 405, not a 404.
            let allowed = AllowedMethods.bundled.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else {
                return try APIError.from(error).response(from: request, context: context)
            }
            var api = APIError(.methodNotAllowed, "method_not_allowed",
                               "\(request.method.rawValue.prefix(16)) is not allowed on this path; use \(allowed.joined(separator: ", "))")
            api.headers[.allow] = allowed.joined(separator: ", ")
            return try api.response(from: request, context: context)
        } catch {
            let api = APIError.from(error)
            if api.status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(api.message)") }
            return try api.response(from: request, context: context)
        }
    }
}
