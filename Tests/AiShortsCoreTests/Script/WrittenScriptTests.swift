import AiShortsCore
import Foundation
import Testing

extension WrittenScript {
    /// `count` distinct plain English words.
    static func words(_ count: Int, from word: String = "ant") -> String {
        (0..<count).map { "\(word)\(String(repeating: "s", count: $0 % 3)) " }.joined().trimmingCharacters(in: .whitespaces) + "."
    }

    /// A usable script for 40 seconds: a 10-word hook and `scenes` scenes, 100 words in all.
    static func sample(scenes count: Int = 5, hook: String = WrittenScript.words(10, from: "hook")) throws -> WrittenScript {
        let hookWords = Narration.words(in: hook).count
        let perScene = (100 - hookWords) / count
        let extra = (100 - hookWords) % count
        let scenes = (0..<count).map { index in
            WrittenScript.Scene(
                narration: words(perScene + (index < extra ? 1 : 0), from: "word\(index)x"),
                queries: ["query \(index) a", "query \(index) b"]
            )
        }
        return try make(title: "Ants That Farm", hook: hook, scenes: scenes)
    }

    /// A script with these fields (the type has no public memberwise initializer: it is decoded).
    static func make(title: String, hook: String, scenes: [Scene], description: String = "About ants.", hashtags: [String] = ["#ants"]) throws -> WrittenScript {
        let object: [String: Any] = [
            "title": title, "hook": hook, "description": description, "hashtags": hashtags,
            "scenes": scenes.map { ["narration": $0.narration, "queries": $0.queries] },
        ]
        return try JSONDecoder().decode(WrittenScript.self, from: JSONSerialization.data(withJSONObject: object))
    }
}

@Suite struct WrittenScriptTests {
    @Test func theSampleIsUsable() throws {
        let script = try WrittenScript.sample()
        #expect(script.spokenWords == 100)
        #expect(script.problem(targetSeconds: 40) == nil)
    }

    @Test func anEmptyTitleIsAProblem() throws {
        var script = try WrittenScript.sample()
        script.title = "   "
        #expect(script.problem(targetSeconds: 40) == "the title is empty")
    }

    @Test(arguments: [2, 9, 0])
    func tooFewOrTooManyScenesAreAProblem(count: Int) throws {
        var script = try WrittenScript.sample()
        script.scenes = count == 0 ? [] : try WrittenScript.sample(scenes: count).scenes
        #expect(script.problem(targetSeconds: 40) == "it has \(count) scenes; write 3 to 8")
    }

    @Test(arguments: [3, 8])
    func threeToEightScenesAreFine(count: Int) throws {
        #expect(try WrittenScript.sample(scenes: count).problem(targetSeconds: 40) == nil)
    }

    @Test(arguments: ["", "   ", " ... — ! "])
    func aSceneWithoutWordsIsAProblem(narration: String) throws {
        var script = try WrittenScript.sample()
        script.scenes[1].narration = narration
        #expect(script.problem(targetSeconds: 40) == "scene 2 has no narration")
    }

    @Test(arguments: [[String](), ["", "  "]])
    func aSceneWithoutQueriesIsAProblem(queries: [String]) throws {
        var script = try WrittenScript.sample()
        script.scenes[2].queries = queries
        #expect(script.problem(targetSeconds: 40) == "scene 3 has no search queries; give 2 or 3 concrete visual queries per scene")
    }

    @Test func tooFewWordsForTheLengthIsAProblem() throws {
        var script = try WrittenScript.sample()
        for index in script.scenes.indices { script.scenes[index].narration = WrittenScript.words(5) }
        #expect(script.spokenWords == 35)
        #expect(script.problem(targetSeconds: 40) == "it has 35 spoken words for 40 seconds; write about 100")
    }

    @Test func tooManyWordsForTheLengthIsAProblem() throws {
        var script = try WrittenScript.sample()
        for index in script.scenes.indices { script.scenes[index].narration = WrittenScript.words(30) }
        #expect(script.spokenWords == 160)
        #expect(script.problem(targetSeconds: 40) == "it has 160 spoken words for 40 seconds; write about 100")
        // The same words are fine for a longer short.
        #expect(script.problem(targetSeconds: 60) == nil)
    }

    @Test func thePaceLimitsAreInclusive() throws {
        // 40 s: 1.6 words/s is 64 words, 3.4 words/s is 136.
        var script = try WrittenScript.sample()
        script.hook = WrittenScript.words(4)
        for index in script.scenes.indices { script.scenes[index].narration = WrittenScript.words(12) }
        #expect(script.spokenWords == 64)
        #expect(script.problem(targetSeconds: 40) == nil)
        script.hook = WrittenScript.words(3)
        #expect(script.problem(targetSeconds: 40) == "it has 63 spoken words for 40 seconds; write about 100")
        script.hook = WrittenScript.words(11)
        for index in script.scenes.indices { script.scenes[index].narration = WrittenScript.words(25) }
        #expect(script.spokenWords == 136)
        #expect(script.problem(targetSeconds: 40) == nil)
        script.hook = WrittenScript.words(12)
        #expect(script.problem(targetSeconds: 40) == "it has 137 spoken words for 40 seconds; write about 100")
    }

    @Test func aScriptNotInEnglishIsAProblem() throws {
        var script = try WrittenScript.sample()
        script.hook = WrittenScript.words(10, from: "муравей")
        for index in script.scenes.indices { script.scenes[index].narration = WrittenScript.words(18, from: "гриб") }
        #expect(script.spokenWords == 100)
        #expect(script.problem(targetSeconds: 40) == "it is not in English")
    }

    @Test func aFewAccentedWordsAreStillEnglish() throws {
        var script = try WrittenScript.sample()
        script.scenes[0].narration = "The café served a crème brûlée to the naïve ants " + WrittenScript.words(9)
        #expect(script.problem(targetSeconds: 40) == nil)
    }

    @Test func theFirstProblemIsReported() throws {
        var script = try WrittenScript.sample(scenes: 2)
        script.title = ""
        #expect(script.problem(targetSeconds: 40) == "the title is empty")
    }

    // MARK: - Spec

    @Test func theSpecMakesTheHookItsOwnFirstSceneWithTheFirstScenesQueries() throws {
        let script = try WrittenScript.sample()
        let output = URL(fileURLWithPath: "/tmp/out/ants.mp4")
        let spec = script.spec(output: output)
        #expect(spec.title == "Ants That Farm")
        #expect(spec.output.path == output)
        #expect(spec.scenes.count == 6)
        #expect(spec.scenes[0].text == script.hook)
        #expect(spec.scenes[0].queries == script.scenes[0].queries)
        #expect(spec.scenes.dropFirst().map(\.text) == script.scenes.map(\.narration))
        #expect(spec.scenes.dropFirst().map(\.queries) == script.scenes.map(\.queries))
        #expect(spec.scenes.allSatisfy { $0.media.isEmpty })
    }

    @Test(arguments: ["", "  \n ", " — ... "])
    func aHookWithoutWordsAddsNoScene(hook: String) throws {
        var script = try WrittenScript.sample()
        script.hook = hook
        let spec = script.spec(output: URL(fileURLWithPath: "/tmp/a.mp4"))
        #expect(spec.scenes.map(\.text) == script.scenes.map(\.narration))
    }

    @Test func theHookIsTrimmed() throws {
        var script = try WrittenScript.sample()
        script.hook = "\n  Ants farm.  \n"
        #expect(script.spec(output: URL(fileURLWithPath: "/tmp/a.mp4")).scenes.first?.text == "Ants farm.")
    }

    // MARK: - Schema

    @Test func theSchemaIsJSONAndRequiresEveryField() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(WrittenScript.schema.utf8)) as? [String: Any])
        let required = try #require(schema["required"] as? [String])
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(try WrittenScript.sample())) as? [String: Any])
        #expect(Set(required) == Set(encoded.keys))
        let properties = try #require(schema["properties"] as? [String: Any])
        let scenes = try #require(properties["scenes"] as? [String: Any])
        let items = try #require(scenes["items"] as? [String: Any])
        #expect(Set(try #require(items["required"] as? [String])) == ["narration", "queries"])
    }

    @Test func aScriptDecodesFromTheJSONTheModelWrites() throws {
        let json = ##"{"title":"T","hook":"H","scenes":[{"narration":"N","queries":["q"]}],"description":"D","hashtags":["#x"]}"##
        let script = try JSONDecoder().decode(WrittenScript.self, from: Data(json.utf8))
        #expect(script.scenes == [WrittenScript.Scene(narration: "N", queries: ["q"])])
        #expect(script.hashtags == ["#x"])
    }
}
