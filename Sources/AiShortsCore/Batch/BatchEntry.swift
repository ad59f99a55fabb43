import Crypto
public import Foundation
import Yams

/// One short of a batch, checked: the `POST /api/v1/jobs` body it becomes, where its video goes,
/// and the hash that says whether an existing video was made from the same request.
public struct BatchEntry: Sendable, Hashable {
    /// Its place in the manifest (0-based).
    public var index: Int
    /// Its line in the manifest.
    public var line: Int
    /// The request body, as JSON.
    public var body: Data
    /// Where the video goes (`nil` for a batch on the server, which keeps its videos).
    public var output: URL?
    /// SHA-256 of the request, files' contents included: equal hashes make equal shorts.
    public var hash: String
    /// A short name for tables: the output's file name, else the title or topic.
    public var label: String

    /// The largest script or spec file read.
    static let maxFileBytes = 200_000

    init(index: Int, line: Int, fields: [String: Any], files: URL?, outputDirectory: URL?) throws(BatchError) {
        self.index = index
        self.line = line
        func fail(_ field: String?, _ message: String) -> BatchError { BatchError(message, entry: index, line: line, field: field) }
        if let unknown = fields.keys.sorted().first(where: { !BatchManifest.keys.contains($0) }) {
            throw fail(unknown, "\(unknown): unknown field; allowed: \(BatchManifest.keys.joined(separator: ", "))")
        }
        var body = fields
        body["output"] = nil
        var stem: String?
        if let files {
            for key in ["script", "spec"] {
                guard let value = fields[key] else { continue }
                guard let path = value as? String, !path.isEmpty else { throw fail(key, "\(key): expected the path of a file, relative to the manifest") }
                let file = URL(fileURLWithPath: path, relativeTo: files).standardizedFileURL
                guard let data = FileManager.default.contents(atPath: file.path) else { throw fail(key, "\(key): cannot read \(file.path)") }
                guard data.count <= Self.maxFileBytes else { throw fail(key, "\(key): \(file.lastPathComponent) is larger than \(Self.maxFileBytes / 1000) KB") }
                guard let text = String(data: data, encoding: .utf8) else { throw fail(key, "\(key): \(file.lastPathComponent) is not UTF-8 text") }
                body[key] = text
                stem = file.deletingPathExtension().lastPathComponent
            }
        }
        let request: JobRequest
        do { request = try JobRequest.parse(object: body) } catch {
            throw BatchError(error.message, entry: index, line: line, field: error.field)
        }
        self.body = JSONSerialization.compact(body)
        hash = SHA256.hash(data: self.body).map { String(format: "%02x", $0) }.joined()

        if let outputDirectory {
            var name = fields["output"].map { $0 as? String ?? "" }
            if name == nil, case .spec(let text) = request.source { name = Self.specOutput(text) }
            if name == nil {
                let topic: String? = switch request.source {
                case .topic(let text), .category(let text): text
                default: nil
                }
                name = (stem ?? request.title ?? topic).map { Self.slug($0) + ".mp4" }
            }
            guard let name, !name.isEmpty else { throw fail("output", "output: expected a file name such as bees.mp4") }
            guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
                throw fail("output", "output: \(name) leaves the output folder; give a path inside it")
            }
            output = outputDirectory.appendingPathComponent(name).standardizedFileURL
        } else {
            guard fields["output"] == nil else { throw fail("output", "output: a batch on the server keeps its videos; fetch each from its job") }
            output = nil
        }
        let words: String = switch request.source {
        case .topic(let text), .category(let text), .script(let text), .spec(let text): text
        }
        label = output?.lastPathComponent ?? request.title ?? words.split(whereSeparator: \.isWhitespace).prefix(6).joined(separator: " ")
    }

    /// The `output:` a spec names, if any.
    static func specOutput(_ text: String) -> String? {
        let output = (try? Yams.load(yaml: text) as? [String: Any])?["output"]
        let path = output as? String ?? (output as? [String: Any])?["path"] as? String
        return path.map { URL(fileURLWithPath: $0).lastPathComponent }
    }

    /// Lower-case letters and digits joined by dashes, at most 60 characters.
    static func slug(_ text: String) -> String {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }
        let slug = String(words.joined(separator: "-").prefix(60))
        return slug.isEmpty ? "short" : slug
    }
}
