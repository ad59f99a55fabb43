public import Foundation

/// The titles already made per category, so `make --category` picks a fresh theme every time.
///
/// Kept as one small JSON file next to the cache; written atomically. Two processes recording at the
/// same moment can lose one title (the last rename wins), which only risks one repeated theme.
public struct ThemeHistory: Sendable {
    /// The JSON file.
    public var file: URL

    /// Creates a history stored in `file`.
    public init(file: URL) {
        self.file = file
    }

    /// The history next to a cache: `<cache>/history/themes.json`.
    public init(cache: DiskCache) {
        self.file = cache.root.appendingPathComponent("history/themes.json")
    }

    /// Titles made in `category`, oldest first.
    public func titles(in category: String) -> [String] {
        load()[Self.key(category)] ?? []
    }

    /// Records that `title` was made in `category`.
    public func record(_ title: String, in category: String) throws {
        var all = load()
        all[Self.key(category), default: []].append(title)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(all).write(to: file, options: .atomic)
    }

    private func load() -> [String: [String]] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([String: [String]].self, from: data)) ?? [:]
    }

    private static func key(_ category: String) -> String {
        category.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
