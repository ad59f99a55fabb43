import AiShortsCore
import Foundation
import Testing

@Suite("batch manifests")
struct BatchManifestTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        try Data("Bees dance.\n\nThe hive follows.".utf8).write(to: folder.appendingPathComponent("scripts/bees.txt"))
        try Data("title: Moon\noutput: out/moon-short.mp4\nscenes: [The Moon drifts away.]\n".utf8).write(to: folder.appendingPathComponent("moon.yaml"))
    }

    func manifest(_ text: String, name: String = "m.yaml") throws(BatchError) -> BatchManifest {
        let file = folder.appendingPathComponent(name)
        try? Data(text.utf8).write(to: file)
        return try BatchManifest.load(file)
    }

    func body(_ entry: BatchEntry) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: entry.body)) as? [String: Any] ?? [:]
    }

    @Test func defaultsFilesAndOutputsMakeRequestBodies() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let parsed = try manifest("""
        defaults: { voice: "espeak:en-us", preset: ultrafast, aspect: "9:16" }
        shorts:
          - { script: scripts/bees.txt, title: Bees, output: bees.mp4 }
          - { topic: "ants that farm fungus", preset: veryfast }
          - { spec: moon.yaml }
        """)
        #expect(parsed.entries.count == 3)
        let bees = body(parsed.entries[0])
        #expect(bees["script"] as? String == "Bees dance.\n\nThe hive follows.", "a script file's content is what is sent")
        #expect(bees["voice"] as? String == "espeak:en-us" && bees["title"] as? String == "Bees" && bees["output"] == nil)
        #expect(parsed.entries[0].output == folder.appendingPathComponent("bees.mp4"))
        #expect(body(parsed.entries[1])["preset"] as? String == "veryfast", "an entry's option wins over the default")
        #expect(parsed.entries[1].output?.lastPathComponent == "ants-that-farm-fungus.mp4")
        #expect(parsed.entries[2].output?.lastPathComponent == "moon-short.mp4", "a spec entry's output comes from the spec")
        #expect(parsed.entries.map(\.line) == [3, 4, 5])
    }

    @Test func editingAFileInPlaceChangesTheHash() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "shorts:\n  - { script: scripts/bees.txt, output: bees.mp4 }\n"
        let first = try manifest(text).entries[0].hash
        #expect(try manifest(text).entries[0].hash == first, "the same request, the same hash")
        try Data("Bees dance again.".utf8).write(to: folder.appendingPathComponent("scripts/bees.txt"))
        #expect(try manifest(text).entries[0].hash != first)
    }

    @Test(arguments: [
        ("shorts:\n  - { script: scripts/bees.txt, output: a.mp4 }\n  - { script: scripts/bees.txt, voise: x }\n", "short 2 (line 3): voise: unknown field", "voise"),
        ("shorts:\n  - { topic: ants, duration: long, output: a.mp4 }\n", "short 1 (line 2): duration: expected a number of seconds", "duration"),
        ("shorts:\n  - { script: scripts/none.txt }\n", "short 1 (line 2): script: cannot read", "script"),
        ("shorts:\n  - { topic: ants, output: ../escape.mp4 }\n", "short 1 (line 2): output: ../escape.mp4 leaves the output folder", "output"),
        ("shorts:\n  - { topic: ants, output: a.mp4 }\n  - { topic: bees, output: a.mp4 }\n", "short 2 (line 3): two shorts write a.mp4", "output"),
        ("defaults: { output: a.mp4 }\nshorts:\n  - { topic: ants }\n", "line 1: defaults.output: not an option every short can share", "defaults.output"),
        ("shorts:\n  - { topic: ants, script: scripts/bees.txt }\n", "short 1 (line 2): give exactly one of topic, category, script or spec", "script"),
        ("shorts: []\n", "the manifest has no shorts", nil),
        ("shorts:\n  - { topic: ants, language: portuguese, output: a.mp4 }\n", "short 1 (line 2): language: \"portuguese\" is not a BCP 47 language tag", "language"),
    ] as [(String, String, String?)])
    func aBadManifestNamesTheEntryItsLineAndTheField(text: String, message: String, field: String?) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: BatchError.self) { try manifest(text) }
        #expect(error.description.hasPrefix(message), "\(error.description)")
        #expect(error.field == field)
        #expect(!error.description.contains("\n"))
    }

    @Test func aCSVHasOneShortPerRow() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let parsed = try manifest("script,title,voice,duration,output\nscripts/bees.txt,\"Bees, dancing\",espeak:en-us,,bees.mp4\n,,,,\n", name: "m.csv")
        #expect(parsed.entries.count == 1, "empty rows are skipped")
        #expect(body(parsed.entries[0])["title"] as? String == "Bees, dancing")
        #expect(body(parsed.entries[0])["duration"] == nil, "an empty cell is absent")
        let bad = try #require(throws: BatchError.self) { try manifest("topic,duration\nants,long\n", name: "bad.csv") }
        #expect(bad.description.hasPrefix("short 1 (line 2): duration:"))
    }

    @Test func aLanguageIsAnOptionLikeAnyOtherAndADefault() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let parsed = try manifest("""
        defaults: { language: pt-BR }
        shorts:
          - { topic: "formigas", output: formigas.mp4 }
          - { topic: "アリ", language: ja, output: ari.mp4 }
        """)
        #expect(body(parsed.entries[0])["language"] as? String == "pt-BR")
        #expect(body(parsed.entries[1])["language"] as? String == "ja", "an entry's language wins over the default")
        let csv = try manifest("script,language,output\nscripts/bees.txt,es,abejas.mp4\n", name: "l.csv")
        #expect(body(csv.entries[0])["language"] as? String == "es")
    }

    @Test func aManifestPostedToTheServerCarriesTextAndNoOutputs() throws {
        let parsed = try BatchManifest.parse("shorts:\n  - { script: \"Bees dance.\", title: Bees }\n  - topic: ants\n")
        #expect(parsed.entries.map(\.output) == [nil, nil])
        #expect((try? JSONSerialization.jsonObject(with: parsed.entries[0].body) as? [String: Any])?["script"] as? String == "Bees dance.")
        let error = try #require(throws: BatchError.self) { try BatchManifest.parse("shorts:\n  - { topic: ants, output: a.mp4 }\n") }
        #expect(error.field == "output")
    }
}
