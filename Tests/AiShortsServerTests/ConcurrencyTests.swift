import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Testing

extension ServerRenders {
    /// Several jobs at once, and stopping one.
    @Suite("jobs at once, cancel", .serialized, .enabled(if: ServerFixtures.toolsAvailable))
    struct ConcurrencyTests {
        static var piperInstalled: Bool { ModelLocations.standard().piperVoices.contains { $0.lastPathComponent.hasPrefix("en_US-joe-medium") } }

        @Test(.enabled(if: piperInstalled)) func twoJobsRunAtOnceAndShareOneVoiceModel() async throws {
            try await TestServer.with({
                $0.jobs = 2
            }) { server in
                // Both jobs are queued before either can start, so the two workers take one each.
                let body: (String) -> [String: Any] = { text in
                    ["script": "\(text) The first scene is short.\n\nThe second one is short too.", "voice": "piper:en_US-joe-medium", "preset": "ultrafast"]
                }
                let first = try await server.create(body("Job one."))
                let second = try await server.create(body("Job two."))
                async let firstEvents = server.events(first)
                async let secondEvents = server.events(second)
                let (a, b) = try await (firstEvents, secondEvents)
                #expect(a.last?.data["state"] as? String == "succeeded")
                #expect(b.last?.data["state"] as? String == "succeeded")

                // The running intervals overlap: each started before the other finished.
                let aStart = try #require(try await server.job(first)["started_at"] as? String)
                let bStart = try #require(try await server.job(second)["started_at"] as? String)
                let aEnd = try #require(try await server.job(first)["finished_at"] as? String)
                let bEnd = try #require(try await server.job(second)["finished_at"] as? String)
                #expect(aStart < bEnd && bStart < aEnd, "\(aStart)…\(aEnd) and \(bStart)…\(bEnd)")

                // One model manager for the server: the voice was loaded once for both jobs.
                let usage = await server.server!.models.usageReport().filter { $0.path.contains("joe") }
                #expect(usage.count == 1)
                #expect(usage.first?.loads == 1, "\(usage)")
                let metrics = try await server.get("/metrics").text
                #expect(metrics.contains("aishorts_attempts_total{outcome=\"succeeded\"} 2"))
            }
        }

        @Test func cancellingARenderStopsFfmpegAndLeavesNoFile() async throws {
            try await TestServer.with({ $0.jobs = 1 }) { server in
                // A long enough narration that the render is surely still running when it is cancelled.
                let paragraphs = (1...6).map { "Paragraph \($0) goes on about ants, fungus gardens, leaves and the long tunnels under the forest floor." }
                let id = try await server.create(["script": paragraphs.joined(separator: "\n\n"), "voice": "espeak:en-us", "preset": "veryslow"])
                _ = try await server.waitForEvent(id) { $0.event == "stage.progress" && $0.data["stage"] as? String == "render" }
                #expect(!ffmpegProcesses(writingInto: server.folder).isEmpty, "ffmpeg is rendering")
                let cancel = try await server.request(.POST, "/api/v1/jobs/\(id)/cancel")
                #expect(cancel.status == 202)
                #expect(try await server.finalState(id) == "cancelled")
                #expect(ffmpegProcesses(writingInto: server.folder).isEmpty, "no ffmpeg left running")
                let folder = server.folder.appendingPathComponent("data/jobs/\(id)")
                let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                #expect(files.isEmpty, "\(files)")
                let job = try await server.job(id)
                #expect(job["state"] as? String == "cancelled")
                #expect((job["links"] as? [String: Any])?["video"] is NSNull)
            }
        }
    }
}
