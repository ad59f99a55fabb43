@testable import AiShortsCore
import Foundation
import Testing

/// open_jtalk's analysis turned into caption words and Kokoro phonemes.
@Suite("JapaneseFrontEnd")
struct JapaneseFrontEndTests {
    static func frontEnd() throws -> JapaneseFrontEnd {
        let locations = ModelLocations(roots: [Fixtures.packageRoot.appendingPathComponent(".deps/models")])
        let voice = try #require(locations.openJTalkVoice, "open_jtalk's HTS voice is missing: run `make bootstrap`")
        try #require((try? Tool.openJTalk.resolved()) != nil, "open_jtalk is not installed: run `make bootstrap`")
        return JapaneseFrontEnd(openJTalk: OpenJTalk(voice: voice))
    }

    @Test("known words get the phonemes misaki's conventions give them", arguments: [
        ("東京", "toːkʲoː"),
        ("今日は", "kʲoː βa"),
        ("ちょっと待ってください。", "ʨoʔto maʔte kɯdasai."),
        ("新聞", "ɕimbɯɴ"),
        ("三匹", "saɴ bʲikʲi"),
        ("2024年", "ɲiseɲɲiʥɨːjo neɴ"),
        ("パーティー", "paːtʲiː"),
        ("「AI」って何？", "“eiai” ʔte naɲi?"),
    ])
    func phonemes(_ text: String, _ expected: String) async throws {
        let utterance = try await Self.frontEnd().utterance(text)
        #expect(utterance.text == expected)
        #expect(utterance.words.joined() == text)
    }

    @Test("caption words: particles and suffixes join their word, numbers stay whole, punctuation follows")
    func words() async throws {
        let utterance = try await Self.frontEnd().utterance("猫が3匹、庭で遊んでいます。")
        #expect(utterance.words == ["猫が", "3匹、", "庭で", "遊んでいます。"])
        // Every phoneme of a word is one run, in word order.
        let owners = utterance.owners.compactMap { $0 }
        #expect(owners == owners.sorted())
        #expect(Set(owners) == Set(utterance.words.indices))
        // A quotation keeps its brackets, and the particle after it joins it.
        let quoted = try await Self.frontEnd().utterance("「AIって何？」と彼女は聞いた。")
        #expect(quoted.words == ["「AIって", "何？」と", "彼女は", "聞いた。"])
        #expect(quoted.text.hasSuffix("kʲiita."), "the past た is written with its verb: \(quoted.text)")
    }

    @Test("sentences end after 。！？ with a closing quote kept, and at line breaks")
    func sentences() {
        #expect(JapaneseFrontEnd.sentences(in: "「本当？」と聞いた。はい！\n次の行") == ["「本当？」", "と聞いた。", "はい！", "次の行"])
        let long = String(repeating: "あいうえお、", count: 80)
        #expect(JapaneseFrontEnd.sentences(in: long).allSatisfy { $0.utf8.count <= OpenJTalk.maximumBytes })
        #expect(JapaneseFrontEnd.sentences(in: long).joined() == long)
    }
}
