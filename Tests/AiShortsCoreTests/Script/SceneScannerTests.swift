@testable import AiShortsCore
import Foundation
import Testing

/// A small seeded generator (SplitMix64), so a failing split can be reproduced.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SceneScannerTests {
    /// Scene objects with braces, brackets, escaped quotes and backslashes inside their strings, and
    /// nested objects and arrays.
    static let scenes = [
        #"{"narration":"A brace } inside, and a quote \" too.","queries":["a {b}","c ]"]}"#,
        #"{"narration":"Ends with a backslash \\","queries":["x \\\" y"]}"#,
        #"{"narration":"Nested {\"json\": [1, 2]} text","queries":["q"],"extra":{"deep":{"x":[1,{"y":"}"}]}}}"#,
        #"{ "queries" : [ "spaced" ] , "narration" : "Unicode é ✓ \u00e9 and \\\\ two" }"#,
        #"{"narration":"Last one: ] } [ {","queries":["z"]}"#,
    ]

    /// A whole answer: text before the array (with tricky strings) and after it (with objects that are
    /// not scenes).
    static let text = #"{"title":"T { [ \"scenes\" ]","hook":"H }","scenes": [ "#
        + scenes.joined(separator: ",\n  ")
        + ##" ],"description":"after { \"x\": 1 }","hashtags":["#a"],"more":[{"narration":"not a scene","queries":["no"]}]}"##

    /// Where each scene's closing brace is, as a count of characters up to and including it.
    static var closingOffsets: [Int] {
        var offsets: [Int] = []
        var searchFrom = text.startIndex
        for scene in scenes {
            guard let range = text.range(of: scene, range: searchFrom..<text.endIndex) else { return [] }
            offsets.append(text.distance(from: text.startIndex, to: range.upperBound))
            searchFrom = range.upperBound
        }
        return offsets
    }

    @Test func theFixtureIsValidJSON() throws {
        #expect(try JSONSerialization.jsonObject(with: Data(Self.text.utf8)) is [String: Any])
        for scene in Self.scenes {
            #expect(try JSONSerialization.jsonObject(with: Data(scene.utf8)) is [String: Any], "\(scene)")
        }
        #expect(Self.closingOffsets.count == Self.scenes.count)
    }

    @Test func wholeTextGivesEverySceneOnceInOrder() {
        var scanner = SceneScanner()
        #expect(scanner.feed(Self.text) == Self.scenes)
        #expect(scanner.feed(#"{"scenes":[{"narration":"again"}]}"#).isEmpty)
    }

    @Test func oneCharacterAtATimeGivesEachSceneAtItsClosingBrace() {
        var scanner = SceneScanner()
        var returned: [(offset: Int, json: String)] = []
        for (offset, character) in Self.text.enumerated() {
            for json in scanner.feed(String(character)) { returned.append((offset + 1, json)) }
        }
        #expect(returned.map(\.json) == Self.scenes)
        #expect(returned.map(\.offset) == Self.closingOffsets)
    }

    @Test func randomPiecesGiveEachSceneOnceAsSoonAsItCloses() {
        var random = SplitMix(state: 0xA15_0475)
        let characters = Array(Self.text)
        let closing = Self.closingOffsets
        for round in 0..<300 {
            var scanner = SceneScanner()
            var returned: [String] = []
            var position = 0
            while position < characters.count {
                let size = Int.random(in: 1...40, using: &random)
                let end = min(position + size, characters.count)
                let found = scanner.feed(String(characters[position..<end]))
                // Exactly the scenes whose closing brace is in this piece, no earlier, no later.
                let due = closing.indices.filter { closing[$0] > position && closing[$0] <= end }
                #expect(found == due.map { Self.scenes[$0] }, "round \(round), piece \(position)..<\(end)")
                returned += found
                position = end
            }
            #expect(returned == Self.scenes, "round \(round)")
        }
    }

    @Test func textWithoutAScenesArrayGivesNothing() {
        var scanner = SceneScanner()
        #expect(scanner.feed(#"{"title":"T","hook":"H","#).isEmpty)
        #expect(scanner.feed(#""description":"{\"a\":1}"}"#).isEmpty)
        #expect(scanner.feed("Sure! Here is your script: {title: ants").isEmpty)
    }

    @Test func anEmptyArrayGivesNothingAndEndsTheScan() {
        var scanner = SceneScanner()
        #expect(scanner.feed(#"{"scenes":[],"more":[{"narration":"x"}]}"#).isEmpty)
    }

    @Test func anUnfinishedSceneIsNotReturned() {
        var scanner = SceneScanner()
        #expect(scanner.feed(#"{"scenes":[{"narration":"half } done","queries":["#).isEmpty)
        #expect(scanner.feed(#""q"]"#).isEmpty)
        #expect(scanner.feed("}") == [#"{"narration":"half } done","queries":["q"]}"#])
    }

    @Test func aValueThatReadsScenesIsNotTheArray() {
        var scanner = SceneScanner()
        let text = #"{"title": "scenes", "hook": "x", "scenes" : [{"narration": "a", "queries": ["q"]}], "description": "d"}"#
        #expect(scanner.feed(text) == [#"{"narration": "a", "queries": ["q"]}"#])
    }
}
