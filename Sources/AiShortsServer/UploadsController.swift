import AiShortsCore
import Foundation
import Hummingbird
import MultipartKit

/// `POST /api/v1/uploads`: one file in a `multipart/form-data` field named `file`, streamed to disk.
///
/// The body is parsed as it arrives (MultipartKit's streaming parser), so an upload of any size
/// holds one network buffer in memory; past the limit the request ends with 413 and nothing is kept.
struct UploadsController<Context: RequestContext> {
    let store: UploadStore

    func add(to router: Router<Context>) {
        router.post("api/v1/uploads", use: upload)
        router.get("api/v1/uploads/:id", use: get)
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let upload = store.upload(id) else { throw JobError(.notFound, "no upload \(id.prefix(80))") }
        return JobJSON.response(Self.object(upload))
    }

    @Sendable func upload(_ request: Request, context: Context) async throws -> Response {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(type) else {
            throw JobError.bad("body", "send multipart/form-data with one field named file (curl -F file=@clip.mp4)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > store.maxBytes + 64 * 1024 {
            throw JobError(.tooLarge, "the upload is larger than \(store.maxBytes >> 20) MB (the server's --max-upload-mb)", field: "file")
        }
        let upload = try await store.receive { writer in
            let state = PartState()
            let parser = MultipartParser(boundary: boundary)
            parser.onHeader = { name, value in
                guard name.lowercased() == "content-disposition" else { return }
                state.field = Self.parameter("name", in: value)
                if state.field == "file" {
                    state.fileName = Self.parameter("filename", in: value) ?? "upload"
                    state.files += 1
                }
            }
            parser.onBody = { buffer in
                guard state.field == "file", state.files == 1, state.error == nil else { return }
                do { try writer.write(Array(buffer.readableBytesView)) } catch { state.error = error }
            }
            parser.onPartComplete = { state.field = nil }
            for try await buffer in request.body {
                do { try parser.execute(buffer) } catch {
                    throw JobError.bad("body", "not valid multipart/form-data: \(error)")
                }
                if let error = state.error { throw error }
            }
            guard state.files == 1, let name = state.fileName else {
                throw JobError.bad("file", state.files == 0 ? "no field named file in the form" : "send one file per upload")
            }
            return name
        }
        return JobJSON.response(Self.object(upload), status: .created, headers: [.location: "/api/v1/uploads/\(upload.id)"])
    }

    /// What the parser's callbacks have seen; used by one task.
    final class PartState {
        var field: String?
        var fileName: String?
        var files = 0
        var error: (any Error)?
    }

    static func object(_ upload: Upload) -> [String: Any] {
        [
            "id": upload.id, "kind": upload.kind.rawValue, "name": upload.name, "bytes": upload.bytes,
            "duration": upload.duration ?? NSNull(), "width": upload.width ?? NSNull(), "height": upload.height ?? NSNull(),
            "created_at": JobJSON.date(upload.createdAt), "ref": "upload:\(upload.id)",
        ]
    }

    static func boundary(_ contentType: String) -> String? {
        guard let value = parameter("boundary", in: contentType), !value.isEmpty, value.count <= 200 else { return nil }
        return value
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
