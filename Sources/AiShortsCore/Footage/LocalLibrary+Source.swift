public import Foundation

extension LocalLibrary: FootageSource {
    /// `false`: the library is on this machine; nothing is downloaded or counted.
    public var isRemote: Bool { false }

    /// Files whose name or tags share words with the phrase, best first, as clips whose media is the file.
    public func search(_ query: FootageQuery) async throws -> [FootageClip] {
        let request = FootageRequest(scene: 0, text: "", queries: [query.text])
        return try await candidates(for: request).prefix(query.count).compactMap { clip(for: $0.url) }
    }

    /// Every file in the library as a clip, for a picture-based scorer that can judge files whose
    /// names say nothing (at most `limit`, in path order).
    public func allClips(limit: Int = .max) -> [FootageClip] {
        entries.prefix(limit).compactMap { clip(for: $0.url) }
    }

    /// The library's files are their own thumbnails: nothing to fetch.
    public func fetchThumbnail(of clip: FootageClip, to destination: URL) async throws {
        throw FootageError(.notConfigured, file: clip.media.path, message: "library files are scored from the file itself")
    }

    /// The library's files are used in place: nothing to fetch.
    public func fetchMedia(of clip: FootageClip, section: ClipSection?, to destination: URL) async throws -> ClipSection? {
        throw FootageError(.notConfigured, file: clip.media.path, message: "library files are used in place")
    }

    func clip(for url: URL) -> FootageClip? {
        guard let entry = entries.first(where: { $0.url == url }) else { return nil }
        let still = Self.stillExtensions.contains(url.pathExtension.lowercased())
        return FootageClip(
            source: name,
            id: url.path,
            kind: still ? .still : .video,
            // The name's words in their order (so "rocket-launch" keeps the phrase), then the tags.
            text: Self.orderedWords(in: url.deletingPathExtension().lastPathComponent)
                .joined(separator: " ") + " " + entry.words.sorted().joined(separator: " "),
            thumbnails: [url],
            media: url,
            width: 0,
            height: 0,
            duration: nil
        )
    }

    static let stillExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif"]
}
