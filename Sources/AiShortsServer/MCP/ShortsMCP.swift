public import AiShortsCore
import Foundation
public import MCP

/// The AiShorts MCP server: the tools of ``ShortsTools`` over one connection, driving a
/// ``ShortsClient`` (this process's queue, or a server).
///
/// Every failure, bad arguments included, is a tool result with `isError` and the one-line message,
/// never a JSON-RPC error: agents read tool results, and a protocol error tells them nothing.
public enum ShortsMCP {
    /// A server with the tools registered; start it on a transport.
    public static func makeServer(client: any ShortsClient, version: String = "1") async -> Server {
        let server = Server(
            name: "aishorts", version: version, title: "AiShorts",
            instructions: "Makes vertical short videos. make_short does it in one call: give a topic, a script or scenes; it waits for the video and returns the job with video_path (or links.video).",
            capabilities: .init(tools: .init(listChanged: false))
        )
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: ShortsTools.all) }
        await server.withMethodHandler(CallTool.self) { params in
            let call = ToolCall(client: client, progressToken: params._meta?.progressToken) { notification in
                try? await server.notify(notification)
            }
            do {
                let result = try await call.run(params.name, arguments: params.arguments ?? [:])
                let text = String(decoding: (try? JSONEncoder.sorted.encode(result)) ?? Data(), as: UTF8.self)
                return .init(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Optional(result), isError: false)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return .init(content: [.text(text: ToolCall.message(error), annotations: nil, _meta: nil)], isError: true)
            }
        }
        return server
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
