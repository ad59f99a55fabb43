import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Subprocess
import SystemPackage
import Testing

extension ServerRenders {
    /// `/mcp` on `aishorts serve`, called by PyPI's reference MCP client over Streamable HTTP.
    @Suite("MCP over HTTP", .serialized, .enabled(if: ServerFixtures.toolsAvailable && MCPFixtures.python != nil))
    struct MCPHTTPTests {
        /// Runs the reference client against `url`; its one JSON line.
        static func client(_ url: String, token: String, arguments: [String: Any]) async throws -> [String: Any] {
            let script = MCPFixtures.root.appendingPathComponent("Tests/AiShortsServerTests/Support/mcp_http_client.py").path
            let body = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
            let result = try await Subprocess.run(
                .path(FilePath(try #require(MCPFixtures.python))), arguments: [script, url, token, body],
                environment: .inherit.updating(["NO_PROXY": "*", "no_proxy": "*"]),
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            guard result.terminationStatus.isSuccess, let line = result.standardOutput.split(separator: "\n").last,
                  let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestServerError("the MCP client failed (\(result.terminationStatus)): \(result.standardError)")
            }
            return object
        }

        @Test func anAgentOverHTTPMakesAShortWithProgressAndTheTokenIsRequired() async throws {
            let token = "mcp-test-token-0123456789"
            try await TestServer.with({ $0.token = token }) { server in
                let url = server.base.appendingPathComponent("mcp").absoluteString
                let reply = try await Self.client(url, token: token, arguments: [
                    "scenes": [["text": "Bees dance to say where the flowers are.", "queries": ["bees"]],
                               ["text": "The others read the dance and fly there."]],
                    "voice": "espeak:en-us", "preset": "ultrafast",
                ])
                #expect(reply["tools"] as? [String] == ["cancel_short", "get_short", "list_shorts", "list_voices", "make_short", "render_spec", "write_script"])
                #expect(reply["is_error"] as? Bool == false, "\(reply["text"] ?? "")")
                let job = try #require(reply["result"] as? [String: Any])
                #expect(job["state"] as? String == "succeeded")
                #expect(job["title"] as? String == "Bees dance to say where the")
                let id = try #require(job["id"] as? String)
                #expect(((job["report"] as? [String: Any])?["scenes"] as? [Any])?.count == 2)
                #expect(job["video_path"] as? String == server.folder.appendingPathComponent("data/jobs/\(id)/video.mp4").path)
                let progress = try #require(reply["progress"] as? [[String: Any]])
                #expect(progress.count >= 4, "\(progress)")
                #expect(reply["bad_is_error"] as? Bool == true)
                #expect((reply["bad_text"] as? [String])?.first?.hasPrefix("id:") == true)

                // The same tools, without the token: refused like the REST API.
                let refused = try await server.request(.POST, "/mcp", body: Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#.utf8),
                                                       headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")],
                                                       authorized: false)
                #expect(refused.status == 401)
                #expect(refused.error?.code == "unauthorized")
            }
        }
    }
}

enum MCPFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's Python with PyPI's `mcp` (scripts/bootstrap-api-check.sh installs it).
    static var python: String? {
        let path = root.appendingPathComponent(".deps/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
