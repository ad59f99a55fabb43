import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Testing

/// Tokens, and the files a client may name.
@Suite("security", .serialized)
struct SecurityTests {
    @Test func aTokenGuardsEverythingButHealthAndReady() async throws {
        let token = "s3cret-token-for-tests-0123456789"
        try await TestServer.with({
            $0.jobs = 0
            $0.token = token
        }) { server in
            for path in ["/api/v1/jobs", "/api/v1/voices", "/metrics"] {
                let refused = try await server.request(.GET, path, authorized: false)
                #expect(refused.status == 401, "\(path)")
                #expect(refused.error?.code == "unauthorized")
                #expect(refused.headers.first(name: "WWW-Authenticate") == "Bearer")
                let wrong = try await server.request(.GET, path, headers: [("Authorization", "Bearer s3cret-token-for-tests-0123456788")], authorized: false)
                #expect(wrong.status == 401, "\(path)")
                #expect(try await server.get(path).status == 200, "\(path)")
            }
            #expect(try await server.request(.GET, "/api/v1/health", authorized: false).status == 200)
            #expect(try await server.request(.GET, "/api/v1/ready", authorized: false).status == 200)
            let metrics = try await server.get("/metrics")
            #expect(metrics.text.contains("aishorts_jobs{state=\"queued\"}"))
            #expect(metrics.text.contains("aishorts_process_resident_memory_bytes"))
        }
    }

    @Test func aPublicAddressNeedsAToken() {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        #expect(configuration.problem()?.contains("token") == true)
        configuration.token = "0123456789abcdef0123"
        #expect(configuration.problem() == nil)
    }

    @Test func specsMayNameOnlyUploadsAndLibraryFolders() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-confine-\(UUID().uuidString)")
        let library = root.appendingPathComponent("library")
        let outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let secret = outside.appendingPathComponent("secret.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: secret)
        let inside = library.appendingPathComponent("ok.png")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: inside)
        // A link inside the library that points out of it.
        try FileManager.default.createSymbolicLink(at: library.appendingPathComponent("escape.png"), withDestinationURL: secret)

        try await TestServer.with(folder: root.appendingPathComponent("server"), {
            $0.jobs = 0
            $0.libraries = [library]
        }) { server in
            let refused: [(Any, String)] = [
                (["/etc/passwd"], "spec.scenes[0].media[0]"),
                (["../../x.mp4"], "spec.scenes[0].media[0]"),
                ([secret.path], "spec.scenes[0].media[0]"),
                ([library.path + "/../outside/secret.png"], "spec.scenes[0].media[0]"),
                ([library.appendingPathComponent("escape.png").path], "spec.scenes[0].media[0]"),
                (["upload:../../etc"], "spec.scenes[0].media[0]"),
            ]
            for (media, field) in refused {
                let reply = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": [["text": "Hi.", "media": media]]]])
                #expect(reply.status == 400, "\(media) → \(reply.text)")
                #expect(reply.error?.field == field, "\(media) → \(reply.text)")
            }
            let library2 = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": ["Hi."], "library": [outside.path]]])
            #expect(library2.status == 400 && library2.error?.field == "spec.library[0]", "\(library2.text)")
            let music = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": ["Hi."], "music": "/etc/hostname"]])
            #expect(music.status == 400 && music.error?.field == "spec.music", "\(music.text)")
            let yaml = try await server.post("/api/v1/jobs", json: ["spec": "title: T\nscenes:\n  - text: Hi.\n    media: [/etc/passwd]\n"])
            #expect(yaml.status == 400 && yaml.error?.message.contains("spec:4") == true, "the line is named: \(yaml.text)")

            let allowed = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": [["text": "Hi.", "media": [inside.path]]], "library": [library.path]]])
            #expect(allowed.status == 202, "\(allowed.text)")
        }
    }

    @Test(.enabled(if: ServerFixtures.toolsAvailable)) func uploadsAreCheckedAndAnUploadReplacedByALinkIsRefused() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestServer.with(folder: root, { $0.jobs = 0 }) { server in
            let text = try await server.upload(name: "notes.mp4", data: Data("just some text, not a video".utf8))
            #expect(text.status == 400 && text.error?.field == "file", "\(text.text)")

            let words = try await server.upload(name: "words.json", data: Data(#"[{"word": "Hi", "start": 0, "end": 0.4}]"#.utf8))
            #expect(words.status == 201 && words.json["kind"] as? String == "words", "\(words.text)")

            let clip = root.appendingPathComponent("clip.mp4")
            let made = try await ToolRunner().run(.ffmpeg, arguments: ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=1", "-pix_fmt", "yuv420p", clip.path])
            #expect(made.isSuccess)
            let video = try await server.upload(name: "../../clip.mp4", data: try Data(contentsOf: clip))
            #expect(video.status == 201, "\(video.text)")
            #expect(video.json["kind"] as? String == "video")
            #expect(video.json["name"] as? String == "clip.mp4", "no folders survive in the name")
            let id = try #require(video.json["id"] as? String)
            #expect(try await server.get("/api/v1/uploads/\(id)").json["width"] as? Int == 320)

            let ok = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": [["text": "Hi.", "media": ["upload:\(id)"]]]]])
            #expect(ok.status == 202, "\(ok.text)")

            // Replace the stored upload with a link to a file outside: the spec is refused, not read.
            let stored = server.folder.appendingPathComponent("data/uploads/\(id)/upload.mp4")
            try FileManager.default.removeItem(at: stored)
            try FileManager.default.createSymbolicLink(at: stored, withDestinationURL: URL(fileURLWithPath: "/etc/hostname"))
            let swapped = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "scenes": [["text": "Hi.", "media": ["upload:\(id)"]]]]])
            #expect(swapped.status == 400 && swapped.error?.field == "spec.scenes[0].media[0]", "\(swapped.text)")
        }
    }
}
