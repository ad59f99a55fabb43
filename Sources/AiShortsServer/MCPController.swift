import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP

/// `/mcp`: the AiShorts tools over MCP's Streamable HTTP, one SDK server and stateful transport per
/// session (`Mcp-Session-Id`), driving this server's own desk.
///
/// The server's token rules apply as to the REST API (the token middleware runs first). Sessions
/// are bounded: past ``MCPSessions/limit`` open ones, the least recently used idle one is closed;
/// every session ends when the server shuts down.
struct MCPController<Context: Hummingbird.RequestContext> {
    let sessions: MCPSessions
    let maxBodyBytes: Int

    func add(to router: Router<Context>) {
        router.post("mcp", use: handle)
        router.get("mcp", use: handle)
        router.delete("mcp", use: handle)
    }

    @Sendable func handle(_ request: Request, context: Context) async throws -> Response {
        let body = request.method == .post ? try await JobsController<Context>.body(request, limit: maxBodyBytes) : nil
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let mcpRequest = MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.uri.path)
        return Self.response(await sessions.handle(mcpRequest))
    }

    /// The SDK's response as Hummingbird's: JSON, an SSE stream, or the SDK's JSON-RPC error.
    static func response(_ response: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let status = HTTPResponse.Status(code: response.statusCode)
        if case .stream(let stream, _) = response {
            fields[.cacheControl] = fields[.cacheControl] ?? "no-cache"
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                for try await chunk in stream { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
        }
        let data = response.bodyData ?? Data()
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
