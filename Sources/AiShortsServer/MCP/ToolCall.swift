import AiShortsCore
import Foundation
import MCP

/// One tool call: arguments checked, the job made or read, and, when asked to, waited for with
/// progress notifications.
struct ToolCall: Sendable {
    let client: any ShortsClient
    let progressToken: ProgressToken?
    let notify: @Sendable (Message<ProgressNotification>) async -> Void

    /// A failure as the one line a tool result carries.
    static func message(_ error: any Error) -> String {
        if let error = error as? JobError { return error.message }
        return String(describing: error).oneLine
    }

    func run(_ name: String, arguments: [String: Value]) async throws -> Value {
        switch name {
        case "make_short":
            try Self.allow(arguments, ShortsTools.options.keys + ["topic", "script", "scenes", "wait"])
            var body = try Self.options(arguments)
            let sources = ["topic", "script", "scenes"].filter { arguments[$0] != nil && arguments[$0] != .null }
            guard sources.count == 1 else {
                throw JobError(.badRequest, "give exactly one of topic, script or scenes (got \(sources.isEmpty ? "none" : sources.joined(separator: ", ")))")
            }
            switch sources[0] {
            case "scenes": body["spec"] = try Self.spec(scenes: arguments["scenes"]!, title: arguments["title"]?.stringValue)
            default: body[sources[0]] = try Self.json(arguments[sources[0]]!)
            }
            return try await made(try await client.create(JSONSerialization.compactData(body), idempotencyKey: nil), wait: try Self.wait(arguments))
        case "get_short":
            try Self.allow(arguments, ["id"])
            return try await described(try await client.job(try Self.id(arguments)))
        case "list_shorts":
            try Self.allow(arguments, ["state", "limit"])
            let limit = try arguments["limit"].map { value -> Int in
                guard let limit = value.intValue else { throw JobError.bad("limit", "expected a whole number from 1 to 200") }
                return limit
            } ?? 20
            let state = try arguments["state"].map { value -> String in
                guard let state = value.stringValue else { throw JobError.bad("state", "expected a state name") }
                return state
            }
            return try JSONDecoder().decode(Value.self, from: try await client.list(state: state, limit: limit, cursor: nil))
        case "cancel_short":
            try Self.allow(arguments, ["id"])
            return try await described(try await client.cancel(try Self.id(arguments)))
        case "write_script":
            try Self.allow(arguments, ShortsTools.options.keys + ["topic", "category"])
            var body = try Self.options(arguments)
            let sources = ["topic", "category"].filter { arguments[$0] != nil && arguments[$0] != .null }
            guard sources.count == 1 else { throw JobError(.badRequest, "give exactly one of topic or category") }
            body[sources[0]] = try Self.json(arguments[sources[0]]!)
            body["draft"] = true
            let job = try await client.create(JSONSerialization.compactData(body), idempotencyKey: nil)
            let id = try JobSummary(json: job).id
            let final = try await waitFor(id)
            var result = try await described(final)
            if try JobSummary(json: final).state == .draft, case .object(var fields) = result {
                fields["spec"] = .string(try await client.spec(id))
                result = .object(fields)
            }
            return result
        case "render_spec":
            try Self.allow(arguments, ShortsTools.options.keys + ["spec", "id", "wait"])
            let wait = try Self.wait(arguments)
            if arguments["id"] != nil {
                let id = try Self.id(arguments)
                if let spec = arguments["spec"], spec != .null {
                    let text = try spec.stringValue ?? String(decoding: JSONSerialization.compactData(Self.json(spec)), as: UTF8.self)
                    _ = try await client.replaceSpec(id, with: text)
                }
                return try await made(try await client.render(id), wait: wait)
            }
            guard let spec = arguments["spec"], spec != .null else { throw JobError(.badRequest, "give spec (YAML text or an object), or the id of a draft") }
            var body = try Self.options(arguments)
            body["spec"] = try Self.json(spec)
            return try await made(try await client.create(JSONSerialization.compactData(body), idempotencyKey: nil), wait: wait)
        case "list_voices":
            try Self.allow(arguments, [])
            return try JSONDecoder().decode(Value.self, from: try await client.voices())
        default:
            throw JobError(.notFound, "no tool \(name.prefix(60)); call tools/list for the tools")
        }
    }

    /// The job object of a job just made: at once, or once it has ended.
    private func made(_ job: Data, wait: Bool) async throws -> Value {
        guard wait else { return try await described(job) }
        return try await described(try await waitFor(try JobSummary(json: job).id))
    }

    /// The job object with `video_path` (on this machine) or `video_url` (on a server) once it has a video.
    func described(_ job: Data) async throws -> Value {
        var value = try JSONDecoder().decode(Value.self, from: job)
        guard case .object(var fields) = value, let id = fields["id"]?.stringValue else { return value }
        if let path = client.localVideo(id) {
            fields["video_path"] = .string(path.path)
        } else if let base = client.baseURL, case .object(let links) = fields["links"], let video = links["video"]?.stringValue {
            fields["video_url"] = .string(URL(string: video, relativeTo: base)?.absoluteString ?? video)
        }
        value = .object(fields)
        return value
    }
}
