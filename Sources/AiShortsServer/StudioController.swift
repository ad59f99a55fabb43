import Foundation
import HTTPTypes
import Hummingbird

/// The studio: the web page at `/` and its styles and scripts under `/studio/`, served from the
/// `Studio` folder of this module's resources.
///
/// The files are read once, when the server starts, into a table keyed by their URL path. A request
/// is answered from that table only, so no path a client sends (`..`, `%2e%2e`, a symlink added
/// later) can reach any other file. The page talks to the public `/api/v1` only; it is open without
/// the token (it asks the person for it and sends it as `Authorization: Bearer`).
struct StudioController<Context: RequestContext> {
    /// One file of the studio, ready to send.
    struct Asset: Sendable {
        var body: ByteBuffer
        var type: String
        var etag: String
    }

    /// The page's policy: its own scripts and styles only (no inline code), media and pictures from
    /// this server or from blobs the page made (videos fetched with the token), requests to this
    /// server only, and no framing.
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; media-src 'self' blob:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// The studio's files by URL path (`/` is `index.html`).
    let assets: [String: Asset]

    init() {
        // The bundle's own folder, not `resourceURL`: Foundation on Linux takes the bundle's
        // `Resources` folder (the OpenAPI document's) for the resource folder.
        self.init(folder: Bundle.module.bundleURL.appendingPathComponent("Studio", isDirectory: true))
    }

    /// Reads every file under `folder` (nothing when it is missing: the routes then answer 404).
    init(folder: URL?) {
        var assets: [String: Asset] = [:]
        if let folder, let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            let root = folder.standardizedFileURL.path
            for case let file as URL in walker {
                guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                      let type = Self.type(of: file.pathExtension), let data = try? Data(contentsOf: file) else { continue }
                let relative = String(file.standardizedFileURL.path.dropFirst(root.count))
                let asset = Asset(body: ByteBuffer(bytes: data), type: type, etag: Self.etag(data))
                assets[relative == "/index.html" ? "/" : "/studio" + relative] = asset
            }
        }
        self.assets = assets
    }

    /// A strong validator from the file's bytes (FNV-1a, 64 bits, and the length): it changes whenever
    /// a build changes the file, which is all a cache validator needs.
    static func etag(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "\"\(String(data.count, radix: 16))-\(String(hash, radix: 16))\""
    }

    /// The content type for a file's extension; other files are not served.
    static func type(of pathExtension: String) -> String? {
        switch pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: nil
        }
    }

    func add(to router: Router<Context>) {
        router.get("/", use: serve)
        router.head("/", use: serve)
        router.get("studio/**", use: serve)
        router.head("studio/**", use: serve)
    }

    /// Answers from the table, with `ETag`/`If-None-Match` (browsers revalidate every load, so a new
    /// build is seen at once) and the security headers.
    @Sendable func serve(_ request: Request, context: Context) async throws -> Response {
        guard let asset = assets[request.uri.path] else {
            throw APIError(.notFound, "not_found", "no such studio file; open / for the studio")
        }
        var headers: HTTPFields = [
            .contentType: asset.type,
            .eTag: asset.etag,
            .cacheControl: "no-cache",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.body.readableBytes)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
