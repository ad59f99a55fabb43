import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Testing

extension ServerRenders {
    /// `POST /api/v1/batches`, and `aishorts batch --server` submitting to a running server.
    @Suite("batches API", .serialized, .enabled(if: ServerFixtures.toolsAvailable && ServerFixtures.binary != nil))
    struct BatchesAPITests {
        @Test func aManifestIsQueuedAsOneBatchOrNotAtAll() async throws {
            try await TestServer.with { server in
                let bad = try await server.post("/api/v1/batches", json: ["shorts": [["script": "One."], ["script": "Two.", "duration": "long"]]])
                #expect(bad.status == 400)
                #expect(bad.error?.field == "shorts[1].duration", "\(bad.text)")
                #expect(bad.error?.message.hasPrefix("short 2 (line 1): duration:") == true, "\(bad.text)")
                #expect(try await server.get("/api/v1/jobs").json["jobs"] as? [Any] != nil)
                #expect((try await server.get("/api/v1/jobs").json["jobs"] as? [Any])?.isEmpty == true, "nothing was queued")

                let yaml = "defaults: { voice: \"espeak:en-us\", preset: ultrafast }\nshorts:\n  - { script: \"Bees dance.\", title: Bees }\n  - script: Ants farm fungus.\n"
                let created = try await server.request(.POST, "/api/v1/batches", body: Data(yaml.utf8), headers: [("Content-Type", "application/yaml")])
                #expect(created.status == 202, "\(created.text)")
                let id = try #require(created.json["id"] as? String)
                #expect(created.headers.first(name: "Location") == "/api/v1/batches/\(id)")
                let jobs = try #require(created.json["jobs"] as? [[String: Any]])
                #expect(jobs.map { $0["label"] as? String } == ["Bees", "Ants farm fungus."])
                for entry in jobs {
                    let job = try #require(entry["job"] as? [String: Any])
                    #expect(try await server.finalState(try #require(job["id"] as? String)) == "succeeded")
                }
                let done = try await server.get("/api/v1/batches/\(id)")
                #expect(done.json["state"] as? String == "succeeded")
                #expect(done.json["counts"] as? [String: Int] == ["succeeded": 2])
                #expect(try await server.get("/api/v1/batches/\(UUID().uuidString.lowercased())").status == 404)
                #expect(try await server.get("/api/v1/batches/..%2F..%2Fetc").status == 404)
            }
        }

        @Test func theBatchCommandSubmitsToAServerAndDownloadsTheVideos() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-remote-batch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Data("Owls turn their heads almost all the way round.".utf8).write(to: folder.appendingPathComponent("owls.txt"))
            try Data("defaults: { voice: \"espeak:en-us\", preset: ultrafast }\nshorts:\n  - { script: owls.txt, output: out/owls.mp4 }\n".utf8)
                .write(to: folder.appendingPathComponent("m.yaml"))
            let token = "remote-batch-token-0123456789"
            try await TestServer.with({ $0.token = token }) { server in
                let binary = try #require(ServerFixtures.binary)
                let run = {
                    try await ToolRunner(keptStderrLines: 20).run(Tool(name: "env", path: "/usr/bin/env"), arguments: [
                        "AISHORTS_TOKEN=\(token)", binary, "batch", folder.appendingPathComponent("m.yaml").path, "--server", server.base.absoluteString,
                    ])
                }
                let first = try await run()
                #expect(first.isSuccess, "\(first.stdoutText) \(first.stderrTail)")
                #expect(first.stdoutText.contains("batch: 1 made, 0 skipped, 0 failed of 1"), "\(first.stdoutText)")
                let video = folder.appendingPathComponent("out/owls.mp4")
                let size = try #require(try FileManager.default.attributesOfItem(atPath: video.path)[.size] as? Int)
                #expect(size > 1000)
                let second = try await run()
                #expect(second.stdoutText.contains("batch: 0 made, 1 skipped, 0 failed of 1"), "\(second.stdoutText)")
            }
        }
    }
}
