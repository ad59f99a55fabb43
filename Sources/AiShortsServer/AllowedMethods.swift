import Foundation
import HTTPTypes
import Yams

/// Which methods each API path takes, read from the OpenAPI document, so a request with the wrong
/// method on a known path is answered `405` with an `Allow` header rather than `404`.
///
/// The document is the API's contract (the API check tests the server against it), so it is also the
/// table of what exists: a path the document does not describe (the studio's files, `/mcp`) keeps the
/// router's `404`.
struct AllowedMethods: Sendable {
    /// A path template split into segments; `nil` stands for a `{parameter}`.
    private let templates: [(segments: [String?], methods: [String])]

    /// The table of the bundled OpenAPI document; empty when the build lacks it.
    static let bundled: AllowedMethods = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return AllowedMethods(paths: [:]) }
        return AllowedMethods(document: text)
    }()

    /// Reads the `paths` of an OpenAPI document.
    init(document: String) {
        var paths: [String: [String]] = [:]
        if let root = (try? Yams.load(yaml: document)) as? [String: Any], let entries = root["paths"] as? [String: Any] {
            for (path, value) in entries {
                let operations = (value as? [String: Any])?.keys.filter(Self.methods.contains) ?? []
                paths[path] = operations.map { $0.uppercased() }.sorted()
            }
        }
        self.init(paths: paths)
    }

    /// A table of path templates (`/api/v1/jobs/{id}`) and their methods.
    init(paths: [String: [String]]) {
        templates = paths.map { path, methods in
            (Self.split(path).map { $0.hasPrefix("{") && $0.hasSuffix("}") ? nil : $0 }, methods)
        }
    }

    /// The methods `path` takes, sorted; empty when no template matches it.
    func methods(for path: String) -> [String] {
        let segments = Self.split(path)
        var found = Set<String>()
        for template in templates where template.segments.count == segments.count {
            let matches = zip(template.segments, segments).allSatisfy { expected, actual in expected == nil || expected == actual }
            if matches { found.formUnion(template.methods) }
        }
        // A server that answers GET answers HEAD too.
        if found.contains("GET") { found.insert("HEAD") }
        return found.sorted()
    }

    private static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
