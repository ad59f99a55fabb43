import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation
import MCP
import Subprocess
import SystemPackage
import Testing

extension ServerRenders {
    /// `aishorts mcp` as an agent runs it: a child process spoken to over its stdin and stdout by the
    /// MCP SDK's own client.
    @Suite("aishorts mcp over stdio", .serialized, .enabled(if: ServerFixtures.toolsAvailable && ServerFixtures.binary != nil))
    struct MCPStdioTests {
        /// Collects the progress notifications the server sends.
        actor Progress {
            var seen: [ProgressNotification.Parameters] = []
            func add(_ parameters: ProgressNotification.Parameters) { seen.append(parameters) }
        }

        /// Runs `aishorts mcp` on `folder` with an SDK client connected to it, until `body` returns;
        /// then closes its stdin, which ends it.
        static func withClient<T: Sendable>(_ folder: URL, arguments: [String]? = nil, environment: [String: String] = [:],
                                            _ body: (Client) async throws -> T) async throws -> (T, TerminationStatus) {
            let binary = try #require(ServerFixtures.binary)
            let toServer = try FileDescriptor.pipe()
            let fromServer = try FileDescriptor.pipe()
            let stderr = folder.appendingPathComponent("mcp.stderr")
            _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
            let errors = try FileDescriptor.open(FilePath(stderr.path), .writeOnly)
            let result = try await Subprocess.run(
                .path(FilePath(binary)),
                arguments: Arguments(["mcp"] + (arguments ?? ["--data", folder.appendingPathComponent("data").path,
                                                              "--cache-dir", folder.appendingPathComponent("cache").path,
                                                              "--config", folder.appendingPathComponent("none.yaml").path, "--jobs", "1"])),
                environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })),
                input: .fileDescriptor(toServer.readEnd, closeAfterSpawningProcess: true),
                output: .fileDescriptor(fromServer.writeEnd, closeAfterSpawningProcess: true),
                error: .fileDescriptor(errors, closeAfterSpawningProcess: true)
            ) { _ -> Result<T, any Error> in
                let client = Client(name: "aishorts-tests", version: "1")
                let transport = StdioTransport(input: fromServer.readEnd, output: toServer.writeEnd)
                let outcome: Result<T, any Error>
                do {
                    _ = try await client.connect(transport: transport)
                    outcome = .success(try await body(client))
                } catch {
                    outcome = .failure(error)
                }
                await client.disconnect()
                try? toServer.writeEnd.close()
                return outcome
            }
            try? fromServer.readEnd.close()
            let value: T
            do { value = try result.closureResult.get() } catch {
                throw TestServerError("\(error); the server's stderr: \((try? String(contentsOf: stderr, encoding: .utf8)) ?? "")")
            }
            return (value, result.terminationStatus)
        }

        static func folder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-mcp-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }

        @Test func anAgentMakesAShortInOneCallAndSeesItsProgress() async throws {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let progress = Progress()
            let (result, status) = try await Self.withClient(folder) { client in
                await client.onNotification(ProgressNotification.self) { message in await progress.add(message.params) }
                let tools = try await client.listTools().tools
                #expect(Set(tools.map(\.name)) == ["make_short", "get_short", "list_shorts", "cancel_short", "write_script", "render_spec", "list_voices"])
                #expect(tools.first { $0.name == "get_short" }?.annotations.readOnlyHint == true)
                #expect(tools.first { $0.name == "cancel_short" }?.annotations.destructiveHint == true)
                #expect(tools.allSatisfy { $0.outputSchema != nil })

                let call: RequestContext<CallTool.Result> = try await client.callTool(
                    name: "make_short",
                    arguments: ["script": "Ants farm fungus underground.\n\nThey feed it leaves and eat what grows.",
                                "voice": "espeak:en-us", "preset": "ultrafast", "title": "Ant farmers"],
                    meta: Metadata(progressToken: .string("short-1")))
                let made = try await call.value
                let bad: RequestContext<CallTool.Result> = try await client.callTool(name: "make_short", arguments: ["topic": "ants", "script": "Ants."])
                let refused = try await bad.value
                let missing: RequestContext<CallTool.Result> = try await client.callTool(name: "get_short", arguments: ["id": "../../etc/passwd"])
                let notFound = try await missing.value
                // The language option travels like the API's: a voice of another language is refused at once.
                let schema = tools.first { $0.name == "make_short" }?.inputSchema.objectValue?["properties"]?.objectValue
                #expect(schema?["language"] != nil && tools.first { $0.name == "write_script" }?.inputSchema.objectValue?["properties"]?.objectValue?["language"] != nil)
                let mismatched: RequestContext<CallTool.Result> = try await client.callTool(
                    name: "make_short", arguments: ["script": "Não é ação.", "language": "pt-BR", "voice": "hibari:heart", "wait": false])
                let wrongVoice = try await mismatched.value
                #expect(wrongVoice.isError == true)
                if case .text(let text, _, _) = wrongVoice.content.first {
                    #expect(text.contains("hibari:heart speaks English, but the spec's language is pt-BR"), "\(text)")
                }
                return (made, refused, notFound)
            }
            #expect(status.isSuccess, "closing stdin ends the server cleanly")
            let (made, refused, notFound) = result
            #expect(made.isError == false, "\(made.content)")
            let job = try #require(made.structuredContent?.objectValue)
            #expect(job["state"]?.stringValue == "succeeded")
            #expect(job["title"]?.stringValue == "Ant farmers")
            let path = try #require(job["video_path"]?.stringValue)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(path.hasPrefix(folder.appendingPathComponent("data").path))

            let seen = await progress.seen
            #expect(seen.count >= 4, "a notification per stage at least: \(seen.map(\.message))")
            #expect(seen.allSatisfy { $0.progressToken == .string("short-1") })
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.progress <= $1.progress }, "progress only grows: \(seen.map(\.progress))")
            #expect(seen.contains { $0.message?.hasPrefix("render") == true })

            #expect(refused.isError == true)
            #expect(refused.structuredContent == nil)
            if case .text(let text, _, _) = refused.content.first {
                #expect(text.contains("exactly one of topic, script or scenes") && !text.contains("\n"))
            } else {
                Issue.record("a tool error carries its one-line message: \(refused.content)")
            }
            #expect(notFound.isError == true)
        }

        @Test func withServerItDrivesARunningServer() async throws {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let token = "mcp-remote-token-0123456789"
            try await TestServer.with({ $0.token = token }) { server in
                let (result, status) = try await Self.withClient(folder, arguments: ["--server", server.base.absoluteString],
                                                                 environment: ["AISHORTS_TOKEN": token]) { client in
                    let call: RequestContext<CallTool.Result> = try await client.callTool(
                        name: "make_short", arguments: ["script": "Owls turn their heads.", "voice": "espeak:en-us", "preset": "ultrafast"],
                        meta: Metadata(progressToken: .integer(7)))
                    return try await call.value
                }
                #expect(status.isSuccess)
                #expect(result.isError == false, "\(result.content)")
                let job = try #require(result.structuredContent?.objectValue)
                #expect(job["state"]?.stringValue == "succeeded")
                let id = try #require(job["id"]?.stringValue)
                #expect(job["video_url"]?.stringValue == server.base.absoluteString + "/api/v1/jobs/\(id)/video")
                #expect(job["video_path"] == nil, "the video is on the server, not here")
            }
        }

        @Test(.enabled(if: StubServer.available))
        func anAgentReviewsADraftThenRendersIt() async throws {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try await withStubServer { base in
                try Data("llm:\n  base_url: \(base.absoluteString)/ok/v1\n".utf8).write(to: folder.appendingPathComponent("none.yaml"))
                let ((draft, rendered, edited), status) = try await Self.withClient(folder) { client in
                    let write: RequestContext<CallTool.Result> = try await client.callTool(
                        name: "write_script", arguments: ["topic": "ants that farm fungus", "voice": "espeak:en-us", "preset": "ultrafast"])
                    let draft = try await write.value
                    let id = draft.structuredContent?.objectValue?["id"]?.stringValue ?? ""
                    let spec = draft.structuredContent?.objectValue?["spec"]?.stringValue ?? ""
                    let edit = spec.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("title:") ? "title: Fungus farmers" : String($0) }.joined(separator: "\n")
                    let render: RequestContext<CallTool.Result> = try await client.callTool(name: "render_spec", arguments: ["id": .string(id), "spec": .string(edit)])
                    let rendered = try await render.value
                    let get: RequestContext<CallTool.Result> = try await client.callTool(name: "get_short", arguments: ["id": .string(id)])
                    return (draft, rendered, try await get.value)
                }
                #expect(status.isSuccess)
                let job = try #require(draft.structuredContent?.objectValue, "\(draft.content)")
                #expect(job["state"]?.stringValue == "draft")
                #expect(job["spec"]?.stringValue?.contains("scenes:") == true)
                #expect(rendered.isError == false, "\(rendered.content)")
                #expect(rendered.structuredContent?.objectValue?["state"]?.stringValue == "succeeded")
                #expect(edited.structuredContent?.objectValue?["title"]?.stringValue == "Fungus farmers", "the edited spec was rendered")
                #expect(edited.structuredContent?.objectValue?["video_path"] != nil)
            }
        }
    }
}
