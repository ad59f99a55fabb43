import AiShortsCore
import AiShortsServer
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// What the server refuses, and how: always the one JSON error shape, the right status, the field.
@Suite("bad input and limits", .serialized)
struct BadInputTests {
    @Test func malformedBodiesAreRefusedNamingTheField() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            let cases: [(Data, Int, String?)] = [
                (Data("{not json".utf8), 400, "body"),
                (Data("[1, 2]".utf8), 400, "body"),
                (Data(#"{"topic": "x", "colour": "red"}"#.utf8), 400, "colour"),
                (Data(#"{"topic": 42}"#.utf8), 400, "topic"),
                (Data(#"{"topic": "a", "script": "b"}"#.utf8), 400, "script"),
                (Data(#"{}"#.utf8), 400, "topic"),
                (Data(#"{"script": "Hello.", "aspect": "4:3"}"#.utf8), 400, "aspect"),
                (Data(#"{"script": "Hello.", "duration": true}"#.utf8), 400, "duration"),
                (Data(#"{"script": "Hello.", "duration": 5}"#.utf8), 400, "duration"),
                (Data(#"{"script": "Hello.", "voice": "sam:x"}"#.utf8), 400, "voice"),
                (Data(#"{"script": "Hello.", "preset": "ludicrous"}"#.utf8), 400, "preset"),
                (Data(#"{"script": "Hello.", "music": {"upload": "../../etc"}}"#.utf8), 400, "music.upload"),
                (Data(#"{"script": "Hello.", "music": {"upload": "abc", "volume": 3}}"#.utf8), 400, "music.volume"),
                (Data(#"{"script": "Hello.", "music": {"upload": "abc"}}"#.utf8), 400, "music.upload"),
                (Data(#"{"script": "Hello.", "draft": "yes"}"#.utf8), 400, "draft"),
                (Data(#"{"spec": {"title": "T", "scenes": ["Hi."], "output": {"path": "/tmp/x.mp4"}}}"#.utf8), 400, "spec.output.path"),
                (Data(#"{"spec": "title: T\nscenes: [Hi.]\nvoice: klingon"}"#.utf8), 400, "spec.voice"),
                (Data(#"{"script": "   "}"#.utf8), 400, "script"),
                (Data(#"{"script": "Olá.", "language": "portuguese"}"#.utf8), 400, "language"),
                (Data(#"{"script": "Olá.", "language": 7}"#.utf8), 400, "language"),
                (Data(#"{"script": "Olá.", "language": "pt-BR", "voice": "hibari:heart"}"#.utf8), 400, "voice"),
                (Data(#"{"spec": "title: T\nlanguage: ja\nvoice: espeak:en-us\nscenes: [Hi.]"}"#.utf8), 400, "voice"),
                (Data(#"{"spec": "title: T\nlanguage: xx-yy-zz\nscenes: [Hi.]"}"#.utf8), 400, "spec.language"),
            ]
            for (body, status, field) in cases {
                let reply = try await server.request(.POST, "/api/v1/jobs", body: body, headers: [("Content-Type", "application/json")])
                #expect(reply.status == status, "\(String(decoding: body, as: UTF8.self)) → \(reply.status) \(reply.text)")
                #expect(reply.error?.field == field, "\(String(decoding: body, as: UTF8.self)) → \(reply.text)")
                #expect(reply.error?.code == "bad_request")
                #expect(reply.error.map { !$0.message.contains("\n") && !$0.message.isEmpty } == true)
                #expect(reply.headers.first(name: "Content-Type") == "application/json")
            }
            #expect((try await server.get("/api/v1/jobs").json["jobs"] as? [Any])?.isEmpty == true, "nothing was queued")
        }
    }

    @Test func everyLimitHoldsWithItsStatus() async throws {
        try await TestServer.with({
            $0.jobs = 0
            $0.maxQueued = 2
            $0.maxUploadMB = 1
            $0.maxStreams = 1
        }) { server in
            let huge = try await server.post("/api/v1/jobs", json: ["script": String(repeating: "word ", count: 300_000)])
            #expect(huge.status == 413 && huge.error?.code == "too_large")
            let longTopic = try await server.post("/api/v1/jobs", json: ["topic": String(repeating: "a", count: 2_001)])
            #expect(longTopic.status == 413 && longTopic.error?.field == "topic")
            let scenes = (0..<61).map { "Scene \($0)." }
            let tooMany = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": scenes]])
            #expect(tooMany.status == 400 && tooMany.error?.field == "spec.scenes")

            _ = try await server.create(["script": "One."])
            _ = try await server.create(["script": "Two."])
            let full = try await server.post("/api/v1/jobs", json: ["script": "Three."])
            #expect(full.status == 429 && full.error?.code == "queue_full")
            #expect(full.headers.first(name: "Retry-After") != nil)

            let upload = try await server.upload(name: "big.mp4", data: Data(count: (1 << 20) + 10))
            #expect(upload.status == 413)
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("data/uploads").path).isEmpty, "nothing kept")

            let unknown = try await server.get("/api/v1/nothing-here")
            #expect(unknown.status == 404 && unknown.error?.code == "not_found")
            let noJob = try await server.get("/api/v1/jobs/not-a-job-id/video")
            #expect(noJob.status == 404)
            // A known path with a method it does not take: 405, naming the methods it does take.
            let wrongMethod = try await server.request(.PUT, "/api/v1/jobs")
            #expect(wrongMethod.status == 405 && wrongMethod.error?.code == "method_not_allowed", "\(wrongMethod.status)")
            #expect(wrongMethod.headers.first(name: "Allow") == "GET, HEAD, POST")
            let wrongOnJob = try await server.request(.POST, "/api/v1/jobs/0123456789abcdef/video")
            #expect(wrongOnJob.status == 405 && wrongOnJob.headers.first(name: "Allow") == "GET, HEAD")
            #expect(try await server.request(.DELETE, "/api/v1/nothing-here").status == 404)
            let badState = try await server.get("/api/v1/jobs?state=lost")
            #expect(badState.status == 400 && badState.error?.field == "state")
        }
    }

    @Test func aSmallSpecStandingForAHugeTreeIsRefused() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            // Six levels of ten aliases: a million values from a few hundred bytes.
            var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...6 {
                yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
            }
            yaml += "title: T\nscenes: [Hi.]\n"
            for body: [String: Any] in [["spec": yaml], ["spec": yaml, "title": "With an option"]] {
                let reply = try await server.post("/api/v1/jobs", json: body)
                #expect(reply.status == 400, "\(reply.text)")
                #expect(reply.error?.message.contains("more than 20000 values") == true, "\(reply.text)")
            }
        }
    }

    @Test func errorMessagesStayOnOneLine() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            // A line break fused with the next character into one grapheme.
            let reply = try await server.post("/api/v1/jobs", json: ["spec": "\u{1F3FB}\u{2}{]\n\u{301}x: ["])
            #expect(reply.status == 400)
            let message = try #require(reply.error?.message)
            #expect(!message.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }, "\(message.debugDescription)")
        }
    }

    @Test func retryAndRenderRespectTheQueueLimitAndScriptDraftsNeedNoWorker() async throws {
        try await TestServer.with({
            $0.jobs = 0
            $0.maxQueued = 1
        }) { server in
            let draft = try await server.post("/api/v1/jobs", json: ["script": "Hello there.", "draft": true])
            #expect(draft.status == 202 && draft.json["state"] as? String == "draft", "\(draft.text)")
            let id = try #require(draft.json["id"] as? String)
            _ = try await server.create(["script": "Fills the queue."])
            let render = try await server.request(.POST, "/api/v1/jobs/\(id)/render")
            #expect(render.status == 429, "\(render.text)")
            #expect(try await server.job(id)["state"] as? String == "draft")
        }
    }

    @Test func eventStreamsAreBounded() async throws {
        try await TestServer.with({
            $0.jobs = 0
            $0.maxStreams = 1
        }) { server in
            let id = try await server.create(["script": "Waits in the queue."])
            let (opened, signal) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The first stream stays open: its job is queued and no worker runs.
                    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.base.absoluteString + "/api/v1/jobs/\(id)/events"), timeout: .seconds(120))
                    for try await _ in response.body { signal.yield() }
                }
                var iterator = opened.makeAsyncIterator()
                _ = await iterator.next()
                let second = try await server.get("/api/v1/jobs/\(id)/events")
                #expect(second.status == 429 && second.error?.code == "too_many_streams", "\(second.text)")
                #expect(second.headers.first(name: "Retry-After") != nil)
                group.cancelAll()
            }
        }
    }

    @Test func stateRulesAnswer409() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            let id = try await server.create(["script": "Hello there."])
            let retry = try await server.request(.POST, "/api/v1/jobs/\(id)/retry")
            #expect(retry.status == 409 && retry.error?.code == "conflict")
            let edit = try await server.request(.PUT, "/api/v1/jobs/\(id)/spec", body: Data("title: T\nscenes: [Hi.]\n".utf8))
            #expect(edit.status == 409)
            let video = try await server.get("/api/v1/jobs/\(id)/video")
            #expect(video.status == 404)
            let cancel = try await server.request(.POST, "/api/v1/jobs/\(id)/cancel")
            #expect(cancel.status == 202 && cancel.json["state"] as? String == "cancelled")
            let again = try await server.request(.POST, "/api/v1/jobs/\(id)/cancel")
            #expect(again.status == 409)
            let retried = try await server.request(.POST, "/api/v1/jobs/\(id)/retry")
            #expect(retried.status == 202 && retried.json["state"] as? String == "queued")
        }
    }
}

extension TestServer {
    /// Uploads `data` as the form field `file`.
    func upload(name: String, data: Data) async throws -> Reply {
        let boundary = "----aishorts\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await request(.POST, "/api/v1/uploads", body: body, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
    }
}
