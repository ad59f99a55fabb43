import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Testing

extension ServerRenders {
    /// A script job through the real server: created, followed, downloaded.
    @Suite("jobs API, end to end", .serialized, .enabled(if: ServerFixtures.toolsAvailable))
    struct JobsAPITests {
        static let script = "Ants farm fungus underground.\n\nThey feed it leaves and eat what grows."

        @Test func aScriptJobRunsToAVideoWithEventsRangesAndPoster() async throws {
            try await TestServer.with { server in
                let created = try await server.post("/api/v1/jobs", json: ["script": Self.script, "voice": "espeak:en-us", "preset": "ultrafast", "title": "Ant farmers"])
                #expect(created.status == 202)
                let id = try #require(created.json["id"] as? String)
                #expect(created.headers.first(name: "Location") == "/api/v1/jobs/\(id)")
                #expect(created.json["state"] as? String == "queued")
                #expect(created.json["title"] as? String == "Ant farmers")

                let events = try await server.events(id)
                #expect(events.map(\.id) == Array(1...events.count), "event numbers are 1, 2, 3 … without gaps")
                #expect(events.first?.event == "state" && events.first?.data["state"] as? String == "queued")
                #expect(events.last?.event == "state" && events.last?.data["state"] as? String == "succeeded", "\(events.map(\.json))")
                let started = events.filter { $0.event == "stage.started" }.compactMap { $0.data["stage"] as? String }
                #expect(started.contains("narration") && started.contains("render"))
                #expect(events.contains { $0.event == "stage.progress" && $0.data["stage"] as? String == "render" })

                let job = try await server.job(id)
                #expect(job["state"] as? String == "succeeded")
                #expect(job["attempts"] as? Int == 1)
                #expect(job["fraction"] as? Double == 1)
                #expect(job["error"] is NSNull)
                let report = try #require(job["report"] as? [String: Any])
                #expect((report["scenes"] as? [Any])?.count == 2)
                let links = try #require(job["links"] as? [String: Any])
                #expect(links["video"] as? String == "/api/v1/jobs/\(id)/video")

                let video = try await server.get("/api/v1/jobs/\(id)/video")
                #expect(video.status == 200)
                #expect(video.headers.first(name: "Content-Type") == "video/mp4")
                #expect(video.body.count > 10_000)
                #expect(video.body.subdata(in: 4..<8) == Data("ftyp".utf8), "an MP4 file")
                let etag = try #require(video.headers.first(name: "ETag"))

                let part = try await server.get("/api/v1/jobs/\(id)/video", headers: [("Range", "bytes=100-199")])
                #expect(part.status == 206)
                #expect(part.body == video.body.subdata(in: 100..<200))
                #expect(part.headers.first(name: "Content-Range") == "bytes 100-199/\(video.body.count)")
                let tail = try await server.get("/api/v1/jobs/\(id)/video", headers: [("Range", "bytes=-10")])
                #expect(tail.status == 206 && tail.body == video.body.suffix(10))
                let outside = try await server.get("/api/v1/jobs/\(id)/video", headers: [("Range", "bytes=\(video.body.count + 5)-")])
                #expect(outside.status == 416)
                #expect(outside.headers.first(name: "Content-Range") == "bytes */\(video.body.count)")
                let unchanged = try await server.get("/api/v1/jobs/\(id)/video", headers: [("If-None-Match", etag)])
                #expect(unchanged.status == 304 && unchanged.body.isEmpty)

                let poster = try await server.get("/api/v1/jobs/\(id)/poster")
                #expect(poster.status == 200 && poster.body.prefix(2) == Data([0xFF, 0xD8]), "a JPEG")
                let captions = try await server.get("/api/v1/jobs/\(id)/captions?format=srt")
                #expect(captions.status == 200 && captions.text.contains("-->") && captions.text.contains("Ants"))
                let ass = try await server.get("/api/v1/jobs/\(id)/captions")
                #expect(ass.text.contains("[Events]"))
                let reportFile = try await server.get("/api/v1/jobs/\(id)/report")
                #expect(reportFile.status == 200 && reportFile.json["job"] as? String == id)
                let spec = try await server.get("/api/v1/jobs/\(id)/spec")
                #expect(spec.text.contains("Ants farm fungus underground."))
                #expect(!spec.text.contains("path:"), "the server's own paths are not part of the spec a client sees")

                // A client reconnecting with Last-Event-ID gets exactly what it missed, then the end.
                let resumed = try await server.events(id, lastEventID: 3)
                #expect(resumed.map(\.id) == Array(4...events.count))
                #expect(resumed.map(\.json) == events.dropFirst(3).map(\.json))

                // Nothing half-written is left in the job's folder.
                let files = try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("data/jobs/\(id)").path)
                #expect(Set(files) == ["video.mp4", "video.report.json", "video.ass", "poster.jpg"])

                let listed = try await server.get("/api/v1/jobs?state=succeeded")
                #expect((listed.json["jobs"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

                let deleted = try await server.request(.DELETE, "/api/v1/jobs/\(id)")
                #expect(deleted.status == 204)
                #expect(try await server.get("/api/v1/jobs/\(id)").status == 404)
                #expect(!FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("data/jobs/\(id)").path))
            }
        }

        @Test func theSameIdempotencyKeyReturnsTheSameJob() async throws {
            try await TestServer.with({ $0.jobs = 0 }) { server in
                let body: [String: Any] = ["script": Self.script, "voice": "espeak:en-us"]
                let first = try await server.post("/api/v1/jobs", json: body, headers: [("Idempotency-Key", "order-17")])
                let second = try await server.post("/api/v1/jobs", json: body, headers: [("Idempotency-Key", "order-17")])
                #expect(first.status == 202 && second.status == 200)
                #expect(first.json["id"] as? String == second.json["id"] as? String)
                let other = try await server.post("/api/v1/jobs", json: ["script": "Something else entirely."], headers: [("Idempotency-Key", "order-17")])
                #expect(other.status == 409 && other.error?.code == "conflict")
                let list = try await server.get("/api/v1/jobs")
                #expect((list.json["jobs"] as? [Any])?.count == 1)
            }
        }

        @Test func listsPageNewestFirst() async throws {
            try await TestServer.with({ $0.jobs = 0 }) { server in
                var ids: [String] = []
                for index in 0..<5 { ids.append(try await server.create(["script": "Scene number \(index)."])) }
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await server.get("/api/v1/jobs?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    seen += (page.json["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil
                #expect(seen == ids.reversed())
            }
        }
    }
}

enum ServerFixtures {
    /// Whether ffmpeg, ffprobe and espeak-ng are installed.
    static var toolsAvailable: Bool {
        (try? Tool.ffmpeg.resolved()) != nil && (try? Tool.ffprobe.resolved()) != nil && (try? Tool.espeak.resolved()) != nil
    }

    /// The `aishorts` binary that `swift build` made next to this package.
    static var binary: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".build/debug/aishorts").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}
