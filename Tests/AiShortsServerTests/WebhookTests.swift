import AiShortsCore
import AiShortsServer
import AiShortsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// A webhook receiver on a loopback port: it records every POST and fails the first `failures`.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var signature: String
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private let state = Mutex((deliveries: [Delivery](), failures: 0))

    init(failing failures: Int) {
        state.withLock { $0.failures = failures }
    }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// Serves until `body` returns; `body` gets the receiver's URL.
    func serve<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let data = Data((try await request.body.collect(upTo: 1 << 20)).readableBytesView)
            let fail = self.state.withLock { state in
                state.deliveries.append(Delivery(signature: request.headers[HTTPField.Name("X-AiShorts-Signature")!] ?? "", body: data))
                guard state.failures > 0 else { return false }
                state.failures -= 1
                return true
            }
            return Response(status: fail ? .internalServerError : .noContent)
        }
        let (ports, feed) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test.webhook")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { feed.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { Task { await group.triggerGracefulShutdown() } }
            let result = try await body(URL(string: "http://127.0.0.1:\(port)/hook")!)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

extension ServerRenders {
    @Suite("webhooks", .serialized, .enabled(if: ServerFixtures.toolsAvailable))
    struct WebhookTests {
        static let secret = "webhook-secret-for-tests-0123456789"

        @Test func aReceiverGetsOneSignedPostPerJobRetriedUntilItAnswers() async throws {
            let receiver = WebhookReceiver(failing: 1)
            try await receiver.serve { hook in
                try await TestServer.with({
                    $0.webhookSecret = Self.secret
                    $0.allowPrivateCallbacks = true
                    $0.webhookRetryDelay = .milliseconds(50)
                }) { server in
                    let made = try await server.create(["script": "Bees dance to say where the flowers are.", "voice": "espeak:en-us",
                                                        "preset": "ultrafast", "callback_url": hook.absoluteString])
                    let draft = try await server.create(["script": "A draft to cancel.", "draft": true, "callback_url": hook.absoluteString])
                    #expect(try await server.finalState(made) == "succeeded")
                    #expect(try await server.post("/api/v1/jobs/\(draft)/cancel", json: [:]).status == 202)
                    try await waitUntil("both webhooks are delivered", limit: .seconds(60)) {
                        Set(receiver.deliveries.compactMap { ($0.json["job"] as? [String: Any])?["id"] as? String }).count == 2
                            && receiver.deliveries.count >= 3
                    }
                    let deliveries = receiver.deliveries
                    #expect(deliveries.count == 3, "the first attempt failed (500) and was retried once: \(deliveries.map(\.json))")
                    for delivery in deliveries {
                        #expect(WebhookSignature.verify(delivery.signature, body: delivery.body, secret: Self.secret), "signed: \(delivery.signature)")
                        #expect(!WebhookSignature.verify(delivery.signature, body: delivery.body + Data(" ".utf8), secret: Self.secret), "a changed body fails")
                    }
                    let events = Dictionary(deliveries.map { (($0.json["job"] as? [String: Any])?["id"] as? String ?? "", $0.json["event"] as? String ?? "") }) { $1 }
                    #expect(events[made] == "job.succeeded")
                    #expect(events[draft] == "job.cancelled")
                    let job = try #require(deliveries.last { ($0.json["job"] as? [String: Any])?["id"] as? String == made }?.json["job"] as? [String: Any])
                    #expect(job["state"] as? String == "succeeded" && (job["links"] as? [String: Any])?["video"] as? String == "/api/v1/jobs/\(made)/video")
                    try await waitUntil("the attempts are recorded on the job", limit: .seconds(10)) {
                        let notes = try await server.get("/api/v1/jobs/\(made)/events?after=0")
                        return notes.text.contains("\"webhook\":\"delivered\"")
                    }
                }
            }
        }

        @Test func aDeliveryWaitingWhenTheServerStopsIsSentWhenItStartsAgain() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-webhook-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let receiver = WebhookReceiver(failing: 1)
            try await receiver.serve { hook in
                let configure: (inout ServerConfiguration) -> Void = {
                    $0.webhookSecret = Self.secret
                    $0.allowPrivateCallbacks = true
                    $0.webhookRetryDelay = .seconds(3600)
                }
                let id = try await TestServer.with(folder: folder, configure) { server in
                    let id = try await server.create(["script": "A draft that will be cancelled.", "draft": true, "callback_url": hook.absoluteString])
                    #expect(try await server.post("/api/v1/jobs/\(id)/cancel", json: [:]).status == 202)
                    try await waitUntil("the first attempt fails and a retry waits", limit: .seconds(30)) {
                        try await server.get("/api/v1/jobs/\(id)/events?after=0").text.contains("\"webhook\":\"retrying\"")
                    }
                    return id
                }
                #expect(receiver.deliveries.count == 1)
                try await TestServer.with(folder: folder, configure) { server in
                    try await waitUntil("the restarted server delivers it", limit: .seconds(30)) {
                        try await server.get("/api/v1/jobs/\(id)/events?after=0").text.contains("\"webhook\":\"delivered\"")
                    }
                }
                #expect(receiver.deliveries.count == 2)
                #expect(receiver.deliveries.last?.json["event"] as? String == "job.cancelled")
            }
        }

        @Test func callbacksIntoTheServersOwnNetworkAreRefusedAtSubmission() async throws {
            try await TestServer.with({ $0.webhookSecret = Self.secret; $0.jobs = 0 }) { server in
                for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/", "http://169.254.169.254/latest", "http://[::1]/", "http://192.168.0.10/", "http://0.0.0.0/"] {
                    let reply = try await server.post("/api/v1/jobs", json: ["script": "A line.", "callback_url": url])
                    #expect(reply.status == 400, "\(url)")
                    #expect(reply.error?.field == "callback_url", "\(url): \(reply.text)")
                }
                let ftp = try await server.post("/api/v1/jobs", json: ["script": "A line.", "callback_url": "ftp://example.com/"])
                #expect(ftp.status == 400 && ftp.error?.field == "callback_url")
            }
            try await TestServer.with({ $0.jobs = 0 }) { server in
                let reply = try await server.post("/api/v1/jobs", json: ["script": "A line.", "callback_url": "https://example.com/hook"])
                #expect(reply.status == 400)
                #expect(reply.error?.message.contains("no webhook secret") == true, "\(reply.text)")
            }
        }
    }
}
