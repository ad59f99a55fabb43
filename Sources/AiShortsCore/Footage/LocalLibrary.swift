public import Foundation

/// The user's own folders of videos and stills, matched to scenes by file name and sidecar tags.
///
/// A file `rocket-launch.mp4` matches the words "rocket" and "launch". A sidecar next to it,
/// `rocket-launch.mp4.tags` or `rocket-launch.tags` (words separated by commas, spaces or lines), adds
/// more. Query words count double, narration words once; common English words are ignored. The folders
/// are walked once, when the library is created; ``indexed(folders:index:digests:)`` also keeps each
/// file's hash in the ``MediaIndex``, so its CLIP embeddings are found without reading the file again.
public struct LocalLibrary: Sendable {
    struct Entry: Sendable, Hashable {
        var url: URL
        var words: Set<String>
    }

    /// The folders searched.
    public let folders: [URL]
    let entries: [Entry]

    /// `library`.
    public var name: String { "library" }

    /// File extensions treated as media.
    public static let mediaExtensions: Set<String> = [
        "mp4", "mov", "m4v", "mkv", "webm", "avi", "jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif",
    ]

    /// Walks `folders` (recursively).
    public init(folders: [URL]) {
        self.init(folders: folders, files: folders.flatMap(Self.mediaFiles(in:)))
    }

    /// A library of `files`, found in `folders` earlier (by ``MediaIndex/refreshLibrary(folders:digests:)``).
    public init(folders: [URL], files: [URL]) {
        self.folders = folders
        var entries: [Entry] = []
        var seen = Set<URL>()
        for file in files where seen.insert(file).inserted {
            var words = Self.words(in: file.deletingPathExtension().lastPathComponent)
            for sidecar in [file.appendingPathExtension("tags"), file.deletingPathExtension().appendingPathExtension("tags")] {
                if let tags = try? String(contentsOf: sidecar, encoding: .utf8) { words.formUnion(Self.words(in: tags)) }
            }
            entries.append(Entry(url: file, words: words))
        }
        self.entries = entries
    }

    /// Brings the `index` of `folders` up to date (hashing only new and changed files) and makes the
    /// library of what is there; `digests` then knows every file's hash.
    ///
    /// - Throws: ``FootageError`` (`indexUnavailable`) when the index cannot be read or written.
    public static func indexed(folders: [URL], index: MediaIndex, digests: FileDigests) async throws -> (library: LocalLibrary, scan: LibraryScan) {
        let scan = try await index.refreshLibrary(folders: folders, digests: digests)
        return (LocalLibrary(folders: folders, files: scan.files), scan)
    }

    /// The picture a library file is judged by: the still itself, or a video's frame at 0.5 s.
    public static func picture(for clip: FootageClip) -> RelevancePicture {
        clip.kind == .still ? .image(clip.media) : .frame(clip.media, at: 0.5)
    }

    /// Media files in `folder` and its subfolders, sorted by path; a media file itself yields itself.
    public static func mediaFiles(in folder: URL) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [folder] }
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if mediaExtensions.contains(url.pathExtension.lowercased()) { files.append(url.standardizedFileURL) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Candidates whose words overlap the scene's, best first.
    public func candidates(for request: FootageRequest) async throws -> [FootageCandidate] {
        let textWords = Self.words(in: request.text)
        let queryWords = Self.words(in: request.queries.joined(separator: " "))
        return entries.compactMap { entry -> FootageCandidate? in
            let fromQueries = entry.words.intersection(queryWords)
            let fromText = entry.words.intersection(textWords).subtracting(fromQueries)
            let score = Double(fromQueries.count * 2 + fromText.count)
            guard score > 0 else { return nil }
            let matched = (fromQueries.sorted() + fromText.sorted()).joined(separator: ", ")
            return FootageCandidate(url: entry.url, score: score, reason: "matched \(matched)")
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.url.path < $1.url.path }
    }

    /// Lower-cased content words, with a plural `s` removed so "rockets" finds "rocket".
    static func words(in text: String) -> Set<String> {
        Set(orderedWords(in: text))
    }

    /// The content words of `text` in order of first appearance, each once (see ``words(in:)``).
    static func orderedWords(in text: String) -> [String] {
        var words: [String] = []
        var seen = Set<String>()
        for raw in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var word = String(raw)
            guard word.count > 2, !stopWords.contains(word) else { continue }
            if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
            if seen.insert(word).inserted { words.append(word) }
        }
        return words
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out",
        "has", "him", "his", "how", "its", "may", "new", "now", "old", "see", "two", "way", "who", "did", "get", "let",
        "put", "say", "she", "too", "use", "that", "with", "have", "this", "will", "your", "from", "they", "know", "want",
        "been", "good", "much", "some", "time", "very", "when", "come", "here", "just", "like", "long", "make", "many",
        "more", "only", "over", "such", "take", "than", "them", "well", "were", "what", "into", "also", "then", "there",
        "these", "those", "their", "about", "would", "could", "should", "which", "while", "where", "after", "before",
        "thing", "things", "first", "every", "even", "ever", "most", "other", "really", "because", "through",
    ]
}
