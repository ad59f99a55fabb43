import AiShortsCore
import Foundation
import Hummingbird

/// `GET /api/v1/voices`: the voices installed on this server.
struct VoicesController<Context: RequestContext> {
    let samples: VoiceSamples

    func add(to router: Router<Context>) {
        router.get("api/v1/voices", use: list)
        router.get("api/v1/voices/:voice/sample", use: sample)
    }

    /// `GET /api/v1/voices/{voice}/sample`: two seconds of the voice, as WAV (spoken once, then kept).
    @Sendable func sample(_ request: Request, context: Context) async throws -> Response {
        let raw = context.parameters.get("voice") ?? ""
        let voice = raw.removingPercentEncoding ?? raw
        guard voice.count <= 200 else { throw JobError(.notFound, "no installed voice \"\(voice.prefix(80))\"") }
        let data = try await samples.sample(voice)
        return Response(status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "private, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let voices = VoiceListing.installed().map { ["voice": $0.voice, "engine": $0.engine, "note": $0.note, "languages": $0.languages] as [String: Any] }
        return JobJSON.response(["voices": voices])
    }
}

