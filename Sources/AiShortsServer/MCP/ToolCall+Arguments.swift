import AiShortsCore
import Foundation
import MCP

extension ToolCall {
    /// Follows the job until it ends (or stops as a draft), sending progress notifications when the
    /// caller asked for them; returns the final job object. A cancelled call cancels the job.
    func waitFor(_ id: String) async throws -> Data {
        var finished = 0.0
        var sent = -1.0
        var stage = ""
        do {
            for try await event in client.follow(id, after: 0) {
                guard let token = progressToken else { continue }
                let fields = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]) ?? [:]
                var fraction = 0.0
                switch event.kind {
                case .stageStarted:
                    stage = fields["stage"] as? String ?? stage
                case .stageProgress:
                    fraction = min(1, max(0, fields["fraction"] as? Double ?? 0))
                case .stageFinished:
                    finished += 1
                case .state, .note:
                    continue
                }
                // Stages count one each; a notification when a stage starts or ends, or moves 10 %.
                let progress = finished + (event.kind == .stageProgress ? fraction : 0)
                guard progress > sent + 0.1 || event.kind != .stageProgress, progress >= sent else { continue }
                sent = progress
                let message = event.kind == .stageFinished ? "\(stage) done" : "\(stage) \(Int(fraction * 100)) %"
                await notify(ProgressNotification.message(.init(progressToken: token, progress: progress, message: message)))
            }
        } catch is CancellationError {
            await cancelJob(id)
            throw CancellationError()
        }
        if Task.isCancelled {
            await cancelJob(id)
            throw CancellationError()
        }
        return try await client.job(id)
    }

    /// Cancels the job from a task of its own: the call's task is cancelled already, and the queue
    /// would refuse work from it.
    private func cancelJob(_ id: String) async {
        let client = client
        await Task { _ = try? await client.cancel(id) }.value
    }

    static func allow(_ arguments: [String: Value], _ allowed: some Sequence<String>) throws {
        let allowed = Set(allowed)
        let unknown = arguments.keys.filter { !allowed.contains($0) }.sorted()
        if let first = unknown.first {
            throw JobError.bad(first, "unknown argument; allowed: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The request options among the arguments, as JSON values; their checks are the API's.
    static func options(_ arguments: [String: Value]) throws -> [String: Any] {
        var body: [String: Any] = [:]
        for key in ShortsTools.options.keys {
            if let value = arguments[key], value != .null { body[key] = try json(value) }
        }
        return body
    }

    static func wait(_ arguments: [String: Value]) throws -> Bool {
        guard let value = arguments["wait"], value != .null else { return true }
        guard let flag = value.boolValue else { throw JobError.bad("wait", "expected true or false") }
        return flag
    }

    static func id(_ arguments: [String: Value]) throws -> String {
        guard let id = arguments["id"]?.stringValue, JobDesk.isJobID(id) else {
            throw JobError.bad("id", "expected a job id (a lower-case UUID, as make_short and list_shorts give)")
        }
        return id
    }

    /// A spec object from `scenes`: each `{text, queries}`.
    static func spec(scenes value: Value, title: String?) throws -> [String: Any] {
        guard let scenes = value.arrayValue, !scenes.isEmpty else { throw JobError.bad("scenes", "expected a list of {text, queries}") }
        guard scenes.count <= 60 else { throw JobError.bad("scenes", "at most 60 scenes") }
        var list: [[String: Any]] = []
        for (index, scene) in scenes.enumerated() {
            guard let fields = scene.objectValue, let text = fields["text"]?.stringValue else {
                throw JobError.bad("scenes[\(index)]", "expected {\"text\": ..., \"queries\": [...]}")
            }
            if let key = fields.keys.first(where: { !["text", "queries"].contains($0) }) {
                throw JobError.bad("scenes[\(index)].\(key)", "unknown field; allowed: text, queries")
            }
            var entry: [String: Any] = ["text": text]
            if let queries = fields["queries"], queries != .null {
                guard let phrases = queries.arrayValue?.compactMap(\.stringValue), phrases.count == queries.arrayValue?.count else {
                    throw JobError.bad("scenes[\(index)].queries", "expected a list of search phrases")
                }
                entry["queries"] = phrases
            }
            list.append(entry)
        }
        let words = (scenes.first?.objectValue?["text"]?.stringValue ?? "Short").split(separator: " ").prefix(6).joined(separator: " ")
        return ["title": title ?? words, "scenes": list]
    }

    /// A tool argument as a JSON value for a request body.
    static func json(_ value: Value) throws -> Any {
        let data = try JSONEncoder().encode(value)
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}

extension JSONSerialization {
    /// A request body.
    static func compactData(_ value: Any) -> Data {
        (try? data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data("{}".utf8)
    }
}
