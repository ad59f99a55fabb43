import AiShortsCore
import Foundation
import Hummingbird

/// `POST /api/v1/uploads`: one file in a `multipart/form-data` field named `file`, streamed to disk.
///
/// The body is parsed as it arrives (``MultipartFileReader``), so an upload of any size
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
            var reader = MultipartFileReader(boundary: boundary)
            for try await buffer in request.body {
                try reader.feed(buffer.readableBytesView) { try writer.write($0) }
            }
            guard reader.isComplete else { throw JobError.bad("body", "the form ended without its closing boundary; the upload was cut short") }
            guard reader.files == 1, let name = reader.fileName else { throw JobError.bad("file", "no field named file in the form") }
            return name
        }
        return JobJSON.response(Self.object(upload), status: .created, headers: [.location: "/api/v1/uploads/\(upload.id)"])
    }

    static func object(_ upload: Upload) -> [String: Any] {
        [
            "id": upload.id, "kind": upload.kind.rawValue, "name": upload.name, "bytes": upload.bytes,
            "duration": upload.duration ?? NSNull(), "width": upload.width ?? NSNull(), "height": upload.height ?? NSNull(),
            "created_at": JobJSON.date(upload.createdAt), "ref": "upload:\(upload.id)",
        ]
    }

    static func boundary(_ contentType: String) -> String? {
        guard let value = MultipartFileReader.parameter("boundary", in: contentType), !value.isEmpty, value.count <= 200 else { return nil }
        return value
    }
}
