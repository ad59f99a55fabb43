import AiShortsCore
import Foundation
import Hummingbird

/// `GET /api/v1/health` (the process answers) and `GET /api/v1/ready` (it can make shorts: ffmpeg
/// and ffprobe are there and the queue's database takes writes). Both are open without a token.
struct HealthController<Context: RequestContext> {
    let desk: JobDesk
    let isStopping: @Sendable () -> Bool
    /// Whether API requests need the bearer token (so a page can ask for it before it gets a 401).
    var tokenRequired = false

    func add(to router: Router<Context>) {
        router.get("api/v1/health", use: health)
        router.get("api/v1/ready", use: ready)
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> Response {
        JobJSON.response(["status": "ok", "token_required": tokenRequired])
    }

    @Sendable func ready(_ request: Request, context: Context) async throws -> Response {
        var problems: [String] = []
        for tool in [Tool.ffmpeg, Tool.ffprobe] {
            if (try? tool.resolved()) == nil { problems.append("\(tool.name) is not installed (apt install ffmpeg)") }
        }
        let probe = desk.folders.root.appendingPathComponent(".ready-\(UUID().uuidString.prefix(8)).tmp")
        if FileManager.default.createFile(atPath: probe.path, contents: Data("ok".utf8)) {
            try? FileManager.default.removeItem(at: probe)
        } else {
            problems.append("the data folder \(desk.folders.root.path) is not writable")
        }
        do { _ = try await desk.queue.counts() } catch { problems.append("the queue's database cannot be read: \(error)") }
        if isStopping() { problems.append("the server is shutting down") }
        guard problems.isEmpty else {
            var error = APIError(.serviceUnavailable, "unavailable", problems.joined(separator: "; "))
            error.headers[.retryAfter] = "10"
            throw error
        }
        return JobJSON.response(["status": "ready"])
    }
}
