@testable import AiShortsCore
import Testing

@Suite("WordAligner in other scripts")
struct WordAlignerScriptsTests {
    typealias Spoken = WordAligner.Spoken

    @Test(arguments: [
        ("Não", "nao"), ("AÇÃO,", "acao"), ("Ñandú", "nandu"), ("Straße", "straße"), ("Ελλάδα", "ελλαδα"), ("Ёлка", "елка"),
        ("９９", "99"), ("R$ 9,90", "r990"), ("مُحَمَّد", "محمد"),
    ])
    func latinGreekCyrillicAndArabicFoldCaseAndAccents(text: String, key: String) {
        #expect(WordAligner.key(text) == key)
    }

    @Test(arguments: [("がっこう", "がっこう"), ("カタカナ。", "カタカナ"), ("公園", "公園"), ("हिन्दी", "हिन्दी"), ("สวัสดี", "สวัสดี"), ("한국어", "한국어")])
    func otherScriptsKeepTheirLettersAndSigns(text: String, key: String) {
        #expect(WordAligner.key(text) == key)
    }

    @Test func voicingMarksStillTellKanaApart() {
        #expect(WordAligner.key("が") != WordAligner.key("か"))
    }

    @Test func portugueseWordsPairWithTokensSpelledWithoutAccents() {
        // A front end that dropped the accents (or spelled the number out) still pairs the words.
        let spoken = [Spoken(text: "nao", start: 0.2, end: 0.5), Spoken(text: "e", start: 0.5, end: 0.6),
                      Spoken(text: "acao", start: 0.6, end: 1.0), Spoken(text: "nove", start: 1.1, end: 1.4),
                      Spoken(text: "reais", start: 1.4, end: 1.8), Spoken(text: "e", start: 1.8, end: 1.9),
                      Spoken(text: "noventa", start: 1.9, end: 2.4), Spoken(text: "hoje", start: 2.5, end: 2.9)]
        let words = WordAligner.align(script: ["Não", "é", "ação,", "R$", "9,90", "hoje."], spoken: spoken, span: 0...3)
        #expect(words.map(\.text) == ["Não", "é", "ação,", "R$", "9,90", "hoje."])
        #expect(words[0].start == 0.2 && words[2].end == 1.0)
        #expect(words[3].start >= 1.0 && words[4].end <= 2.5)
        #expect(words[5].start == 2.5 && words[5].end == 2.9)
    }

    @Test func japaneseWordsPairWithTheirTokens() {
        let spoken = [Spoken(text: "今日", start: 0.1, end: 0.4), Spoken(text: "は", start: 0.4, end: 0.5),
                      Spoken(text: "公園", start: 0.5, end: 0.9), Spoken(text: "を", start: 0.9, end: 1.0),
                      Spoken(text: "散歩", start: 1.0, end: 1.4), Spoken(text: "します", start: 1.4, end: 1.8)]
        let words = WordAligner.align(script: ["今日", "は", "公園", "を", "散歩", "します。"], spoken: spoken, span: 0...2)
        #expect(words.map(\.start) == [0.1, 0.4, 0.5, 0.9, 1.0, 1.4])
        #expect(words.last?.text == "します。" && words.last?.end == 1.8)
    }
}
