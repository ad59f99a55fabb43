public import Foundation

/// The job API in this process: a ``JobDesk`` over this machine's queue (`aishorts mcp` without
/// `--server`, `aishorts batch` without `--server`, and the server's own `/mcp`).
public struct LocalShortsClient: ShortsClient {
    /// The desk.
    public let desk: JobDesk

    /// Creates a client of `desk`.
    public init(desk: JobDesk) {
        self.desk = desk
    }

    /// `nil`: links are the API's paths.
    public var baseURL: URL? { nil }

    /// Queues a job.
    public func create(_ body: Data, idempotencyKey: String?) async throws -> Data {
        let request = try JobRequest.parse(json: body)
        return JSONSerialization.compact(try await desk.create(request, idempotencyKey: idempotencyKey).job.apiObject)
    }

    /// The job object.
    public func job(_ id: String) async throws -> Data {
        JSONSerialization.compact(try await desk.job(id).apiObject)
    }

    /// A page of jobs.
    public func list(state: String?, limit: Int, cursor: String?) async throws -> Data {
        var filter: JobState?
        if let state {
            guard let value = JobState(rawValue: state) else {
                throw JobError.bad("state", "\"\(state.prefix(40))\" is not a state; use one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter = value
        }
        guard (1...200).contains(limit) else { throw JobError.bad("limit", "expected a whole number from 1 to 200") }
        if let cursor, Int(cursor) == nil { throw JobError.bad("cursor", "not a cursor this server gave") }
        let page = try await desk.queue.list(state: filter, cursor: cursor, limit: limit)
        return JSONSerialization.compact(["jobs": page.jobs.map(\.apiObject), "next_cursor": page.nextCursor.map { $0 as Any } ?? NSNull()])
    }

    /// Cancels the job.
    public func cancel(_ id: String) async throws -> Data {
        JSONSerialization.compact(try await desk.cancel(id).apiObject)
    }

    /// Replaces the job's spec.
    public func replaceSpec(_ id: String, with spec: String) async throws -> Data {
        JSONSerialization.compact(try await desk.replaceSpec(id, with: spec).apiObject)
    }

    /// Renders the job.
    public func render(_ id: String) async throws -> Data {
        JSONSerialization.compact(try await desk.render(id).apiObject)
    }

    /// The job's spec.
    public func spec(_ id: String) async throws -> String {
        let job = try await desk.job(id)
        guard let spec = job.spec else { throw JobError(.notFound, "job \(id) has no spec yet; the LLM is still writing it") }
        return spec
    }

    /// The voices installed here.
    public func voices() async throws -> Data {
        JSONSerialization.compact(["voices": VoiceListing.installed().map { ["voice": $0.voice, "engine": $0.engine, "note": $0.note] }])
    }

    /// The job's events, from the queue.
    public func follow(_ id: String, after sequence: Int) -> AsyncThrowingStream<JobEvent, any Error> {
        let stream = desk.queue.follow(id, after: sequence)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in stream { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Copies the video.
    public func download(_ id: String, to destination: URL) async throws {
        let job = try await desk.job(id)
        guard job.state == .succeeded, let video = localVideo(id) else {
            throw JobError(.wrongState, "job \(id) is \(job.state.rawValue); its video exists once it succeeded")
        }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).part")
        do {
            try FileManager.default.copyItem(at: video, to: partial)
            guard rename(partial.path, destination.path) == 0 else { throw JobError(.storage, "cannot move the video to \(destination.path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw JobError(.storage, "cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// The video's path in the data folder, once it exists.
    public func localVideo(_ id: String) -> URL? {
        guard JobDesk.isJobID(id) else { return nil }
        let video = desk.folders.video(id)
        return FileManager.default.fileExists(atPath: video.path) ? video : nil
    }
}
