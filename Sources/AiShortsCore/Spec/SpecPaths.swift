public import Foundation

/// Where the files a spec names may come from, and how its relative paths resolve.
///
/// A spec a person writes on their own machine may name any file (``local(base:)``). A spec that
/// arrives over the network may name only the server's uploads (`upload:ID`) and the library folders
/// its operator listed (``confined(base:uploads:roots:)``): every path is resolved (`..` and symbolic
/// links included) before it is checked, so `../../etc/passwd`, an absolute path elsewhere, or an
/// upload replaced by a link pointing out is refused as a ``SpecError`` naming the field, never read.
public struct SpecPaths: Sendable, Hashable {
    /// The folder relative paths are resolved against.
    public var base: URL
    /// The folder holding uploads (`upload:ID` → `uploads/ID/<file>`), when the spec is confined.
    public var uploads: URL?
    /// The folders a confined spec may name, besides the uploads; `nil` means no confinement.
    public var roots: [URL]?

    /// Any existing file, relative paths against `base`: a spec on the user's own machine.
    public static func local(base: URL) -> SpecPaths {
        SpecPaths(base: base, uploads: nil, roots: nil)
    }

    /// Only uploads and files inside `roots`; an output path may not be chosen.
    public static func confined(base: URL, uploads: URL, roots: [URL]) -> SpecPaths {
        SpecPaths(base: base, uploads: uploads, roots: roots)
    }

    /// Whether paths are confined (a spec from a client).
    public var isConfined: Bool { roots != nil }

    /// An upload identifier as the server makes them: lower-case letters, digits and dashes.
    public static func isUploadID(_ id: Substring) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// The file an upload identifier stands for (the one file in its folder), or `nil`.
    public static func uploadFile(_ id: String, in uploads: URL) -> URL? {
        guard isUploadID(Substring(id)) else { return nil }
        let folder = uploads.appendingPathComponent(id, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // The store keeps the file as `upload.<ext>` (its metadata lies beside the folder), so a words
        // file, `upload.json`, counts like any other.
        guard let name = names.filter({ $0.hasPrefix("upload.") }).sorted().first else { return nil }
        return folder.appendingPathComponent(name)
    }

    /// The canonical path (symbolic links and `..` resolved) of an existing file, or `nil`.
    static func canonical(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` (canonical) lies inside one of the library folders (not the uploads).
    func allowsLibrary(_ path: String) -> Bool {
        SpecPaths(base: base, uploads: nil, roots: roots).allows(path)
    }

    /// Whether `path` (canonical) lies inside one of the allowed folders.
    func allows(_ path: String) -> Bool {
        let folders = (roots ?? []) + (uploads.map { [$0] } ?? [])
        return folders.contains { folder in
            guard let root = Self.canonical(folder) else { return false }
            return path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
    }
}

extension SpecNode {
    /// A path named by this node, resolved by `paths`, which must exist (and, when confined, lie in
    /// the allowed folders).
    func existingPath(_ paths: SpecPaths, directoryAllowed: Bool = true) throws(SpecError) -> URL {
        let raw = try nonEmptyString()
        var url: URL
        if raw.hasPrefix("upload:") {
            guard let uploads = paths.uploads else {
                throw error(.invalidValue, "\"\(raw)\" names an upload, which only a spec sent to the server can use")
            }
            guard let file = SpecPaths.uploadFile(String(raw.dropFirst("upload:".count)), in: uploads) else {
                throw error(.missingFile, "no upload \"\(raw)\"; upload the file first (POST /api/v1/uploads) and use the id it returns")
            }
            url = file
        } else {
            let expanded = paths.isConfined ? raw : (raw as NSString).expandingTildeInPath
            url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : paths.base.appendingPathComponent(expanded)
        }
        if paths.isConfined {
            // Resolve first, check second: a link or `..` must not lead the check astray.
            guard let canonical = SpecPaths.canonical(url), paths.allows(canonical) else {
                throw error(.forbiddenPath, "\"\(raw)\" is outside the files this server may read; name an upload (upload:ID) or a file in one of its library folders")
            }
            url = URL(fileURLWithPath: canonical)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw error(.missingFile, "no such file \"\(raw)\" (paths are relative to the spec file)")
        }
        if isDirectory.boolValue && !directoryAllowed {
            throw error(.invalidValue, "\"\(raw)\" is a folder; give a file")
        }
        return url.standardizedFileURL
    }
}
