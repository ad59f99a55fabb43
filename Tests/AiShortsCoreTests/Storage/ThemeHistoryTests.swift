import AiShortsCore
import Foundation
import Testing

@Suite struct ThemeHistoryTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-history-\(UUID().uuidString)")

    @Test func titlesAreKeptPerCategoryOldestFirst() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let history = ThemeHistory(file: root.appendingPathComponent("deep/folder/themes.json"))
        #expect(history.titles(in: "nature").isEmpty)
        try history.record("Ants That Farm Fungus", in: "nature")
        try history.record("Why Owls Hoot", in: "nature")
        try history.record("The Rosetta Stone", in: "history")
        #expect(history.titles(in: "nature") == ["Ants That Farm Fungus", "Why Owls Hoot"])
        #expect(history.titles(in: "history") == ["The Rosetta Stone"])
        #expect(history.titles(in: "space").isEmpty)
    }

    @Test func categoriesIgnoreCaseAndSurroundingSpace() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let history = ThemeHistory(file: root.appendingPathComponent("themes.json"))
        try history.record("A", in: "  Nature\n")
        try history.record("B", in: "NATURE")
        #expect(history.titles(in: "nature") == ["A", "B"])
    }

    @Test func theHistoryOutlivesTheValueAndLivesNextToTheCache() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = DiskCache(root: root)
        try ThemeHistory(cache: cache).record("A", in: "nature")
        let file = root.appendingPathComponent("history/themes.json")
        #expect(ThemeHistory(cache: cache).file.standardizedFileURL == file.standardizedFileURL)
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(ThemeHistory(file: file).titles(in: "nature") == ["A"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: [String]]
        #expect(json == ["nature": ["A"]])
    }

    @Test func aDamagedFileCountsAsEmptyAndIsReplaced() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("themes.json")
        try Data("{not json".utf8).write(to: file)
        let history = ThemeHistory(file: file)
        #expect(history.titles(in: "nature").isEmpty)
        try history.record("A", in: "nature")
        #expect(history.titles(in: "nature") == ["A"])
    }
}
