import AiShortsCore
import Foundation
import Hummingbird

/// `GET /api/v1/voices`: the voices installed on this server.
struct VoicesController<Context: RequestContext> {
    func add(to router: Router<Context>) {
        router.get("api/v1/voices", use: list)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let voices = VoiceListing.installed().map { ["voice": $0.voice, "engine": $0.engine, "note": $0.note] }
        return JobJSON.response(["voices": voices])
    }
}
