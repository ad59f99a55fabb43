import AiShortsCore
import Foundation
import HTTPTypes
import Hummingbird

/// A finished job's files: the video (with HTTP ranges, so players can seek), its report, spec,
/// poster frame and captions. Paths come from the job's identifier only, never from the client.
struct JobFilesController<Context: RequestContext> {
    let desk: JobDesk
    let fileIO = FileIO()

    func add(to router: Router<Context>) {
        router.get("api/v1/jobs/:id/video", use: video)
        router.head("api/v1/jobs/:id/video", use: video)
        router.get("api/v1/jobs/:id/report", use: report)
        router.get("api/v1/jobs/:id/spec", use: spec)
        router.get("api/v1/jobs/:id/poster", use: poster)
        router.get("api/v1/jobs/:id/captions", use: captions)
        router.get("api/v1/jobs/:id/scenes/:scene/thumbnail", use: thumbnail)
        router.get("api/v1/jobs/:id/scenes/:scene/candidates/:candidate/thumbnail", use: candidateThumbnail)
    }

    private func finishedJob(_ context: Context) async throws -> JobRecord {
        let job = try await desk.job(try JobsController<Context>.id(context))
        guard job.state == .succeeded else {
            throw JobError(.notFound, "job \(job.id) has no video yet (it is \(job.state.rawValue)); wait for its final state event")
        }
        return job
    }

    @Sendable func video(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        return try await serve(desk.folders.video(job.id), type: "video/mp4", request: request, context: context)
    }

    @Sendable func report(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        return try await serve(desk.folders.report(job.id), type: "application/json", request: request, context: context)
    }

    @Sendable func poster(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        return try await serve(desk.folders.poster(job.id), type: "image/jpeg", request: request, context: context)
    }

    /// The spec as YAML (what `PUT …/spec` takes back), or as the same document in JSON with
    /// `?format=json` (for clients without a YAML reader, such as the studio page).
    @Sendable func spec(_ request: Request, context: Context) async throws -> Response {
        let job = try await desk.job(try JobsController<Context>.id(context))
        guard let spec = job.spec else { throw JobError(.notFound, "job \(job.id) has no spec yet; the LLM is still writing it") }
        switch request.uri.queryParameters["format"].map(String.init) ?? "yaml" {
        case "yaml":
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: spec)))
        case "json":
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try JobSpec.json(yaml: spec))))
        default:
            throw JobError.bad("format", "use yaml or json")
        }
    }

    /// A JPEG frame from the middle of one scene of the finished video (1-based, as the report numbers
    /// scenes), made on first request and again after the job is rendered anew.
    @Sendable func thumbnail(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        let raw = context.parameters.get("scene") ?? ""
        guard let scene = Int(raw), scene >= 1, let timing = Self.sceneTiming(job.report, scene: scene) else {
            throw JobError(.notFound, "job \(job.id) has no scene \(raw.prefix(20)); scenes are numbered from 1 as in its report")
        }
        let video = desk.folders.video(job.id)
        let file = desk.folders.sceneThumbnail(job.id, scene: scene)
        if !Self.isNewer(file, than: video) {
            try await Poster.frame(of: video, at: timing.start + timing.duration / 2, to: file)
        }
        return try await serve(file, type: "image/jpeg", request: request, context: context)
    }

    /// A frame of one of the library clips a scene's footage was chosen from (the report's
    /// `scenes[].candidates`, 1-based), so a person sees what a swap would show. Only a file inside the
    /// server's `--library` folders is read; remote candidates have no frame here.
    @Sendable func candidateThumbnail(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        let rawScene = context.parameters.get("scene") ?? ""
        let rawCandidate = context.parameters.get("candidate") ?? ""
        guard let scene = Int(rawScene), let index = Int(rawCandidate), scene >= 1, index >= 1,
              let media = Self.candidateMedia(job.report, scene: scene, candidate: index), let source = desk.libraryFile(media) else {
            throw JobError(.notFound, "job \(job.id) has no library candidate \(rawCandidate.prefix(20)) in scene \(rawScene.prefix(20)); both are numbered from 1 as in its report")
        }
        let file = desk.folders.candidateThumbnail(job.id, scene: scene, candidate: index)
        if !Self.isNewer(file, than: desk.folders.video(job.id)) {
            // One second in, for a clip that opens on black; a still has only its first frame.
            do {
                try await Poster.frame(of: source, at: 1, to: file)
            } catch is RenderError {
                try await Poster.frame(of: source, at: 0, to: file)
            }
        }
        return try await serve(file, type: "image/jpeg", request: request, context: context)
    }

    /// Whether `file` exists and was made after `other` last changed (a frame of the current render).
    static func isNewer(_ file: URL, than other: URL) -> Bool {
        let modified = { (url: URL) in (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date }
        guard let made = modified(file), let changed = modified(other) else { return false }
        return made >= changed
    }

    /// Scene `scene` (1-based) of the report's JSON, or `nil`.
    static func reportScene(_ report: String?, _ scene: Int) -> [String: Any]? {
        guard let report, scene >= 1, let object = try? JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any],
              let scenes = object["scenes"] as? [[String: Any]], scene <= scenes.count else { return nil }
        return scenes[scene - 1]
    }

    /// Where scene `scene` starts and how long it lasts.
    static func sceneTiming(_ report: String?, scene: Int) -> (start: Double, duration: Double)? {
        guard let found = reportScene(report, scene), let start = (found["start"] as? NSNumber)?.doubleValue,
              let duration = (found["duration"] as? NSNumber)?.doubleValue else { return nil }
        return (start, duration)
    }

    /// The `media` of candidate `candidate` (1-based) of scene `scene`.
    static func candidateMedia(_ report: String?, scene: Int, candidate: Int) -> String? {
        guard candidate >= 1, let candidates = reportScene(report, scene)?["candidates"] as? [[String: Any]], candidate <= candidates.count else { return nil }
        return candidates[candidate - 1]["media"] as? String
    }

    /// The captions as ASS, or as SRT with `?format=srt`.
    @Sendable func captions(_ request: Request, context: Context) async throws -> Response {
        let job = try await finishedJob(context)
        let file = desk.folders.captions(job.id)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw JobError(.notFound, "job \(job.id) has no captions (they were turned off in its spec)")
        }
        switch request.uri.queryParameters["format"].map(String.init) ?? "ass" {
        case "ass":
            return Response(status: .ok, headers: [.contentType: "text/x-ssa; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case "srt":
            return Response(status: .ok, headers: [.contentType: "application/x-subrip; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: SRTSubtitles.convert(ass: text))))
        default:
            throw JobError.bad("format", "use ass or srt")
        }
    }

    /// Serves a file with `ETag`, `If-None-Match`, `Accept-Ranges` and single byte ranges.
    private func serve(_ file: URL, type: String, request: Request, context: Context) async throws -> Response {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw JobError(.notFound, "the file is missing from the data folder; render the job again")
        }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let etag = "\"\(String(size, radix: 16))-\(String(Int(modified * 1000), radix: 16))\""
        var headers: HTTPFields = [.contentType: type, .acceptRanges: "bytes", .eTag: etag]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        var range: ClosedRange<Int>?
        if let raw = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            switch ByteRange.parse(raw, size: size) {
            case .whole: break
            case .part(let part): range = part
            case .unsatisfiable:
                var error = APIError(.rangeNotSatisfiable, "range_not_satisfiable", "the range \(raw.prefix(60)) is outside the file's \(size) bytes")
                error.headers[.contentRange] = "bytes */\(size)"
                throw error
            }
        }
        if request.method == .head {
            headers[.contentLength] = String(size)
            return Response(status: .ok, headers: headers)
        }
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await fileIO.loadFile(path: file.path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        headers[.contentLength] = String(size)
        guard size > 0 else { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: try await fileIO.loadFile(path: file.path, context: context))
    }
}

/// One HTTP byte range (`bytes=0-99`, `bytes=100-`, `bytes=-100`) against a file's size.
enum ByteRange: Equatable {
    /// No usable range: send the whole file (several ranges, or a unit other than bytes).
    case whole
    /// These bytes, inclusive.
    case part(ClosedRange<Int>)
    /// A range that starts past the end: 416.
    case unsatisfiable

    static func parse(_ header: String, size: Int) -> ByteRange {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.hasPrefix("bytes="), !value.contains(",") else { return .whole }
        let spec = value.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { return .whole }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return .unsatisfiable }
            guard size > 0 else { return .unsatisfiable }
            return .part(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(parts[0]), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        if parts[1].isEmpty { return .part(start...(size - 1)) }
        guard let end = Int(parts[1]), end >= start else { return .whole }
        return .part(start...min(end, size - 1))
    }
}
