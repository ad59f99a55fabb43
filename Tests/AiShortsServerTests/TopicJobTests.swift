import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation
import NIOHTTP1
import Testing

extension ServerRenders {
    /// Jobs the LLM writes (the loopback OpenAI-compatible stub), and drafts a person edits.
    @Suite("topic jobs and drafts", .serialized, .enabled(if: ServerFixtures.toolsAvailable && StubServer.available))
    struct TopicJobTests {
        static func configure(_ base: URL, _ folder: URL) throws -> (inout ServerConfiguration) -> Void {
            let config = folder.appendingPathComponent("llm.yaml")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("llm:\n  base_url: \(base.absoluteString)/ok/v1\n".utf8).write(to: config)
            return { $0.llmConfig = config }
        }

        @Test func aTopicJobIsWrittenNarratedAndRendered() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-topic-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await withStubServer { base in
                try await TestServer.with(folder: folder, try Self.configure(base, folder)) { server in
                    let id = try await server.create(["topic": "ants that farm fungus", "voice": "espeak:en-us", "preset": "ultrafast"])
                    let events = try await server.events(id)
                    #expect(events.last?.data["state"] as? String == "succeeded", "\(events.map(\.json))")
                    let stages = events.filter { $0.event == "stage.started" }.compactMap { $0.data["stage"] as? String }
                    #expect(stages.first == "script")
                    #expect(events.contains { $0.event == "stage.progress" && $0.data["stage"] as? String == "script" })
                    let job = try await server.job(id)
                    #expect(job["title"] as? String == "Ants That Farm Fungus")
                    let report = try #require(job["report"] as? [String: Any])
                    #expect((report["scenes"] as? [Any])?.count == 6)
                    // Narration was warmed while the script streamed in: the render found the five
                    // written scenes cached (the hook, a scene of its own, is narrated by the render).
                    let caches = try #require(report["caches"] as? [String: [String: Int]])
                    #expect(caches["narration"]?["hits"] == 5, "\(caches)")
                }
            }
        }

        @Test func aDraftIsEditedThenRendered() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-draft-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await withStubServer { base in
                try await TestServer.with(folder: folder, try Self.configure(base, folder)) { server in
                    let id = try await server.create(["topic": "ants that farm fungus", "draft": true, "voice": "espeak:en-us", "preset": "ultrafast"])
                    #expect(try await server.finalState(id) == "draft")
                    let spec = try await server.get("/api/v1/jobs/\(id)/spec")
                    #expect(spec.status == 200 && spec.text.contains("scenes:"))
                    #expect(try await server.get("/api/v1/jobs/\(id)/video").status == 404)

                    let broken = try await server.request(.PUT, "/api/v1/jobs/\(id)/spec", body: Data("title: T\nscenes:\n  - text: Hi.\n    media: [/etc/passwd]\n".utf8))
                    #expect(broken.status == 400 && broken.error?.field == "spec.scenes[0].media[0]", "\(broken.text)")

                    let edited = "title: Two scenes only\nscenes:\n  - text: Ants grow gardens.\n  - text: The gardens feed the colony.\n"
                    let put = try await server.request(.PUT, "/api/v1/jobs/\(id)/spec", body: Data(edited.utf8))
                    #expect(put.status == 200 && put.json["title"] as? String == "Two scenes only", "\(put.text)")
                    let render = try await server.request(.POST, "/api/v1/jobs/\(id)/render")
                    #expect(render.status == 202 && render.json["state"] as? String == "queued")
                    #expect(try await server.finalState(id) == "succeeded")
                    let job = try await server.job(id)
                    #expect(((job["report"] as? [String: Any])?["scenes"] as? [Any])?.count == 2)
                    #expect(job["attempts"] as? Int == 2)
                }
            }
        }

        @Test func aTopicWithoutAnLLMIsRefusedAtOnce() async throws {
            try await TestServer.with({ $0.jobs = 0 }) { server in
                let reply = try await server.post("/api/v1/jobs", json: ["topic": "ants"])
                #expect(reply.status == 400 && reply.error?.field == "topic", "\(reply.text)")
                #expect(reply.error?.message.contains("LLM") == true || reply.error?.message.contains("llm") == true, "\(reply.text)")
            }
        }
    }
}
