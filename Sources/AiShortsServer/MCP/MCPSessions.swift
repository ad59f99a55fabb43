import AiShortsCore
import Foundation
import Logging
import MCP

/// The open MCP sessions of one server.
actor MCPSessions {
    struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    /// Sessions open at once.
    let limit: Int
    private let client: any ShortsClient
    private let logger: Logger
    private var sessions: [String: Session] = [:]
    private var closed = false

    init(client: any ShortsClient, logger: Logger, limit: Int = 32) {
        self.client = client
        self.logger = logger
        self.limit = limit
    }

    func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        guard !closed else { return .error(statusCode: 503, .internalError("the server is shutting down")) }
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no such session; initialize a new one"))
            }
            session.lastUsed = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 { sessions[id] = nil }
            return response
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: send initialize first, then the \(HTTPHeaderName.sessionID) header it answers with"))
        }
        return await open(request)
    }

    private func open(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        if sessions.count >= limit, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            sessions[oldest.key] = nil
            await oldest.value.transport.disconnect()
            logger.notice("closed the least recently used MCP session: \(limit) were open")
        }
        let id = UUID().uuidString.lowercased()
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), logger: logger)
        let server = await ShortsMCP.makeServer(client: client)
        do {
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("cannot start an MCP session: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response {
            sessions[id] = nil
            await server.stop()
        }
        return response
    }

    /// Ends every session (their streams end) and refuses new ones.
    func closeAll() async {
        closed = true
        let open = sessions.values
        sessions = [:]
        for session in open { await session.server.stop() }
    }

    /// Whether a JSON-RPC body is (or, as a batch, holds) an `initialize` request.
    static func isInitialize(_ body: Data) -> Bool {
        guard let value = try? JSONSerialization.jsonObject(with: body) else { return false }
        let messages = (value as? [[String: Any]]) ?? [(value as? [String: Any]) ?? [:]]
        return messages.contains { $0["method"] as? String == "initialize" }
    }

    private struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
