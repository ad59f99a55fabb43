import AiShortsCore
import AiShortsServer
import Foundation
import NIOHTTP1
import Testing

/// The studio's files as the server sends them, and the API additions the page relies on: voice
/// samples, the spec as JSON, `token_required`. (The page itself is driven in a real browser by
/// scripts/studio-check.sh.)
@Suite("studio")
struct StudioTests {
    @Test func thePageAndItsModulesAreServedWithTheirTypesAPolicyAndValidators() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            let page = try await server.get("/")
            #expect(page.status == 200)
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            let policy = try #require(page.headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("script-src 'self'") && policy.contains("default-src 'none'") && !policy.contains("unsafe-inline"))
            #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(page.text.contains("<script type=\"module\" src=\"/studio/js/main.js\"></script>"))
            #expect(!page.text.contains("<script>"), "no inline script: the policy would block it")

            let etag = try #require(page.headers.first(name: "ETag"))
            let again = try await server.get("/", headers: [("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty)

            // Every module the page imports, transitively, is there and is JavaScript.
            var pending = ["/studio/js/main.js"]
            var seen: Set<String> = []
            while let path = pending.popLast() {
                guard seen.insert(path).inserted else { continue }
                let module = try await server.get(path)
                #expect(module.status == 200, "\(path)")
                #expect(module.headers.first(name: "Content-Type") == "text/javascript; charset=utf-8", "\(path)")
                for match in module.text.matches(of: /from "\.\/([a-z\-]+\.js)"/) {
                    pending.append("/studio/js/" + match.output.1)
                }
            }
            #expect(seen.count >= 10, "\(seen)")
            let style = try await server.get("/studio/css/studio.css")
            #expect(style.status == 200 && style.headers.first(name: "Content-Type") == "text/css; charset=utf-8")
        }
    }

    @Test func nothingOutsideTheStudioFolderIsServed() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            for path in ["/studio/../Package.swift", "/studio/%2e%2e/%2e%2e/Package.swift", "/studio/js/../../openapi.yaml",
                         "/studio/js/nope.js", "/studio/", "/index.html", "/studio//etc/passwd", "/studio/js/main.js%00.html"] {
                let reply = try await server.get(path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.error?.code == "not_found", "\(path)")
                #expect(!reply.text.contains("PackageDescription"), "\(path)")
            }
        }
    }

    @Test func thePageIsOpenWithATokenAndHealthSaysOneIsNeeded() async throws {
        let token = "studio-token-for-tests-0123456789"
        try await TestServer.with({
            $0.jobs = 0
            $0.token = token
        }) { server in
            #expect(try await server.request(.GET, "/", authorized: false).status == 200)
            #expect(try await server.request(.GET, "/studio/js/api.js", authorized: false).status == 200)
            #expect(try await server.request(.GET, "/api/v1/jobs", authorized: false).status == 401)
            #expect(try await server.request(.GET, "/api/v1/voices/espeak:en-us/sample", authorized: false).status == 401)
            let health = try await server.request(.GET, "/api/v1/health", authorized: false)
            #expect(health.json["token_required"] as? Bool == true)
        }
        try await TestServer.with({ $0.jobs = 0 }) { server in
            let health = try await server.get("/api/v1/health")
            #expect(health.json["token_required"] as? Bool == false)
        }
    }

    @Test(.enabled(if: ServerFixtures.toolsAvailable)) func aVoiceSampleIsTwoSecondsOfWAVAtMost() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            for path in ["/api/v1/voices/espeak:en-us/sample", "/api/v1/voices/espeak%3Aen-us/sample"] {
                let sample = try await server.get(path)
                #expect(sample.status == 200, "\(path): \(sample.text.prefix(200))")
                #expect(sample.headers.first(name: "Content-Type") == "audio/wav")
                let audio = try WAVAudio(data: sample.body)
                #expect(audio.duration > 0.5 && audio.duration <= 2.0, "\(audio.duration) s")
            }
            let unknown = try await server.get("/api/v1/voices/espeak:no-such-voice/sample")
            #expect(unknown.status == 404 && unknown.error?.code == "not_found")
            let engine = try await server.get("/api/v1/voices/..%2F..%2Fetc%2Fpasswd/sample")
            #expect(engine.status == 404)
        }
    }

    @Test func aSpecIsAlsoGivenAsJSONAndTakenBackAsJSON() async throws {
        try await TestServer.with({ $0.jobs = 0 }) { server in
            let draft = try await server.post("/api/v1/jobs", json: ["script": "Ants farm fungus.\n\nThey feed it leaves.", "draft": true, "voice": "espeak:en-us"])
            let id = try #require(draft.json["id"] as? String)
            let json = try await server.get("/api/v1/jobs/\(id)/spec?format=json")
            #expect(json.status == 200 && json.headers.first(name: "Content-Type") == "application/json")
            var spec = json.json
            var scenes = try #require(spec["scenes"] as? [Any])
            #expect(scenes.count == 2)
            let first = scenes[0] as? [String: Any]
            #expect((first?["text"] as? String ?? scenes[0] as? String)?.contains("Ants farm fungus") == true, "\(scenes)")
            scenes[0] = ["text": "Zebras juggle melons.", "queries": ["zebra"]]
            spec["scenes"] = scenes
            let put = try await server.request(.PUT, "/api/v1/jobs/\(id)/spec", body: try JSONSerialization.data(withJSONObject: spec),
                                               headers: [("Content-Type", "application/json")])
            #expect(put.status == 200, "\(put.text)")
            let yaml = try await server.get("/api/v1/jobs/\(id)/spec")
            #expect(yaml.text.contains("Zebras juggle melons."))
            let back = try await server.get("/api/v1/jobs/\(id)/spec?format=json")
            #expect(((back.json["scenes"] as? [[String: Any]])?.first?["queries"] as? [String]) == ["zebra"])
            let bad = try await server.get("/api/v1/jobs/\(id)/spec?format=xml")
            #expect(bad.status == 400 && bad.error?.field == "format")
        }
    }

    /// The studio's own-voiceover path: a spec naming an uploaded recording and its uploaded word
    /// timings (`upload.json` in the store, which the upload lookup once skipped as metadata).
    @Test(.enabled(if: ServerFixtures.toolsAvailable)) func aVoiceoverNamesItsUploadedWordTimings() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-voiceover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestServer.with(folder: root, { $0.jobs = 0 }) { server in
            let wav = root.appendingPathComponent("voice.wav")
            let made = try await ToolRunner().run(.ffmpeg, arguments: ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2", wav.path])
            #expect(made.isSuccess)
            let audio = try await server.upload(name: "voice.wav", data: try Data(contentsOf: wav))
            let words = try await server.upload(name: "voice.json", data: Data(#"[{"word": "Hello", "start": 0, "end": 0.5}, {"word": "there", "start": 0.6, "end": 1}]"#.utf8))
            let audioRef = try #require(audio.json["ref"] as? String)
            let wordsRef = try #require(words.json["ref"] as? String)
            let job = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "voiceover": ["audio": audioRef, "words": wordsRef], "scenes": [["text": "Hello there"]]]])
            #expect(job.status == 202, "\(job.text)")
            let missing = try await server.post("/api/v1/jobs", json: ["spec": ["title": "T", "voiceover": ["audio": audioRef, "words": "upload:0000"], "scenes": ["Hi"]]])
            #expect(missing.status == 400 && missing.error?.field == "spec.voiceover.words", "\(missing.text)")
        }
    }

    @Test func yamlBecomesPlainJSONWithTextFieldsKeptAsText() throws {
        let yaml = "title: 2024\naspect: 9:16\ncaptions: false\nscenes:\n  - yes\n  - {text: Hi, media: [upload:abc]}\n"
            + "output: {fps: 30}\nmusic: {file: upload:m, volume: 0.25}\ntransition: {fade: 0.5}\nquoted: \"12\"\nempty: ~\n"
        let data = try JobSpec.json(yaml: yaml)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["title"] as? String == "2024", "the spec reader reads a title as text")
        #expect(object["aspect"] as? String == "9:16", "not YAML 1.1's base-60 number 556")
        #expect(object["captions"] as? Bool == false)
        let scenes = try #require(object["scenes"] as? [Any])
        #expect(scenes.first as? String == "yes")
        #expect(((scenes.last as? [String: Any])?["media"] as? [String]) == ["upload:abc"])
        #expect(((object["output"] as? [String: Any])?["fps"] as? Int) == 30)
        #expect(((object["music"] as? [String: Any])?["volume"] as? Double) == 0.25)
        #expect(((object["transition"] as? [String: Any])?["fade"] as? Double) == 0.5)
        #expect(object["quoted"] as? String == "12")
        #expect(object["empty"] is NSNull)
        #expect(throws: JobError.self) { try JobSpec.json(yaml: "- just\n- a list\n") }
        #expect(throws: JobError.self) { try JobSpec.json(yaml: "title: [unclosed\n") }
    }
}

extension ServerRenders {
    /// A finished job's scene frames and the budget in its report.
    @Suite("studio's result page data", .serialized, .enabled(if: ServerFixtures.toolsAvailable))
    struct StudioResultTests {
        @Test func sceneThumbnailsAreFramesOfTheVideoAndTheReportNamesTheBudget() async throws {
            try await TestServer.with({ $0.memoryBudgetMB = 1500 }) { server in
                let id = try await server.create(["script": "Ants farm fungus.\n\nThey feed it leaves.", "voice": "espeak:en-us", "preset": "ultrafast"])
                #expect(try await server.finalState(id) == "succeeded")
                let report = try #require(try await server.job(id)["report"] as? [String: Any])
                #expect(report["memoryBudgetBytes"] as? Int == 1500 << 20)
                let thumbnail = try await server.get("/api/v1/jobs/\(id)/scenes/2/thumbnail")
                #expect(thumbnail.status == 200 && thumbnail.headers.first(name: "Content-Type") == "image/jpeg")
                #expect(thumbnail.body.prefix(2) == Data([0xFF, 0xD8]), "a JPEG")
                let etag = try #require(thumbnail.headers.first(name: "ETag"))
                #expect(try await server.get("/api/v1/jobs/\(id)/scenes/2/thumbnail", headers: [("If-None-Match", etag)]).status == 304,
                        "made once, then served as a file")
                for scene in ["0", "3", "x", "-1"] {
                    let missing = try await server.get("/api/v1/jobs/\(id)/scenes/\(scene)/thumbnail")
                    #expect(missing.status == 404, "scene \(scene)")
                }
            }
        }

        @Test func libraryCandidatesHaveFramesAndNothingElseIsRead() async throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-candidates-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let library = root.appendingPathComponent("library")
            try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
            for (name, colour) in [("ants-carrying-leaves", "green"), ("leaf-cutter-ants", "olive"), ("fungus-garden", "white")] {
                let made = try await ToolRunner().run(.ffmpeg, arguments: ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=\(colour):size=720x1280",
                                                                           "-frames:v", "1", library.appendingPathComponent("\(name).jpg").path])
                #expect(made.isSuccess)
            }
            try await TestServer.with(folder: root, { $0.libraries = [library] }) { server in
                let id = try await server.create(["spec": ["title": "Ants", "library": [library.path], "footage": ["sources": ["library"]],
                                                           "scenes": [["text": "Ants carry green leaves home.", "queries": ["ants carrying leaves"]]]],
                                                  "voice": "espeak:en-us", "preset": "ultrafast"])
                #expect(try await server.finalState(id) == "succeeded")
                let report = try #require(try await server.job(id)["report"] as? [String: Any])
                let scene = try #require((report["scenes"] as? [[String: Any]])?.first)
                let candidates = try #require(scene["candidates"] as? [[String: Any]])
                #expect(candidates.count >= 2 && candidates.first?["chosen"] as? Bool == true, "\(candidates)")
                for index in 1...candidates.count {
                    let frame = try await server.get("/api/v1/jobs/\(id)/scenes/1/candidates/\(index)/thumbnail")
                    #expect(frame.status == 200 && frame.body.prefix(2) == Data([0xFF, 0xD8]), "candidate \(index): \(frame.text.prefix(200))")
                }
                for (scene, candidate) in [("1", "0"), ("1", "\(candidates.count + 1)"), ("2", "1"), ("1", "x")] {
                    let missing = try await server.get("/api/v1/jobs/\(id)/scenes/\(scene)/candidates/\(candidate)/thumbnail")
                    #expect(missing.status == 404, "scene \(scene) candidate \(candidate)")
                }
            }
        }
    }
}
