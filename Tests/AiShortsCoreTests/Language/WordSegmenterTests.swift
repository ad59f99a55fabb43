import AiShortsCore
import Testing

@Suite("Words in any script")
struct WordSegmenterTests {
    @Test func spacedTextSplitsAtSpacesAndKeepsAccentsNumbersAndCurrency() {
        #expect(WordSegmenter.words(in: "Custa R$ 9,90 — não é ação de 3 mil.")
            == ["Custa", "R$", "9,90—", "não", "é", "ação", "de", "3", "mil."])
    }

    @Test func punctuationOnlyTokensRideOnTheWordBefore() {
        #expect(WordSegmenter.words(in: "Olá , mundo !") == ["Olá,", "mundo!"])
        #expect(WordSegmenter.words(in: "مرحبا بالعالم ، اليوم") == ["مرحبا", "بالعالم،", "اليوم"])
    }

    @Test func chineseIsSplitIntoDictionaryWords() {
        #expect(WordSegmenter.words(in: "我们今天去公园散步。") == ["我们", "今天", "去", "公园", "散步。"])
    }

    @Test func japaneseIsSplitIntoDictionaryWordsWithPunctuationAttached() {
        let words = WordSegmenter.words(in: "今日は公園を散歩します。")
        #expect(words.joined() == "今日は公園を散歩します。")
        #expect(words.first == "今日")
        #expect(words.contains("公園"))
        #expect(words.last?.hasSuffix("。") == true)
        #expect(words.count >= 5)
    }

    @Test func openingBracketsAndQuotesGoWithTheWordAfterThem() {
        let words = WordSegmenter.words(in: "彼は「こんにちは」と言った。")
        #expect(words.joined() == "彼は「こんにちは」と言った。")
        #expect(words.contains("「こんにちは」"), "\(words)")
    }

    @Test func thaiIsSplitIntoDictionaryWords() {
        #expect(WordSegmenter.words(in: "สวัสดีครับวันนี้อากาศดีมาก") == ["สวัสดี", "ครับ", "วัน", "นี้", "อากาศ", "ดี", "มาก"])
    }

    @Test func mixedLatinAndKanaKeepsTheLatinWordWhole() {
        let words = WordSegmenter.words(in: "iPhone15を買いました")
        #expect(words.first == "iPhone15")
        #expect(words.joined() == "iPhone15を買いました")
    }

    @Test func narrationWordsUseTheSegmenter() {
        #expect(Narration.words(in: "我们今天去公园散步。") == WordSegmenter.words(in: "我们今天去公园散步。"))
        #expect(Narration.words(in: "Hello , world") == ["Hello,", "world"])
    }
}
