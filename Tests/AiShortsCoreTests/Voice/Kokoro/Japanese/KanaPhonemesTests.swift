@testable import AiShortsCore
import Testing

/// Katakana pronunciations to Kokoro's Japanese phonemes, without open_jtalk.
@Suite("KanaPhonemes")
struct KanaPhonemesTests {
    @Test("morae, palatal and foreign digraphs, long vowels, glottal stops and ン by place", arguments: [
        ("トーキョー", "toːkʲoː"),
        ("シンブン", "ɕimbɯɴ"),
        ("ゲンキ", "ɡeŋkʲi"),
        ("コンニチワ", "koɲɲiʨiβa"),
        ("ホン", "hoɴ"),
        ("キッテ", "kʲiʔte"),
        ("ツヅク", "ʦɨzɨkɯ"),
        ("ジャズ", "ʥazɨ"),
        ("フィルム", "ɸʲiɾɯmɯ"),
        ("ティーシャツ", "tʲiːɕaʦɨ"),
        ("ウォーター", "βoːtaː"),
        ("ヴァイオリン", "vaioɾʲiɴ"),
        ("イェール", "jeːɾɯ"),
        ("クァルテット", "kᵝaɾɯteʔto"),
        ("ひらがな", "çiɾaɡana"),
        ("シュ", "ɕɨ"),
    ])
    func phonemes(_ kana: String, _ expected: String) {
        #expect(KanaPhonemes.phonemes(kana) == expected)
    }

    @Test("punctuation becomes Kokoro's marks; other symbols say nothing")
    func punctuation() {
        #expect(KanaPhonemes.punctuation("。") == ".")
        #expect(KanaPhonemes.punctuation("、") == ",")
        #expect(KanaPhonemes.punctuation("？」") == "?”")
        #expect(KanaPhonemes.punctuation("「") == "“")
        #expect(KanaPhonemes.punctuation("★") == "")
    }

    @Test("open_jtalk's trace: morphemes with pronunciations, accent-phrase joins, punctuation")
    func trace() {
        let trace = """
            [Text analysis result]
            今日,名詞,副詞可能,*,*,*,*,今日,キョウ,キョー,1/2,C3,-1
            は,助詞,係助詞,*,*,*,*,は,ハ,ワ,0/1,名詞%F1/動詞%F2@0/形容詞%F2@0,1
            ，,記号,読点,*,*,*,*,，,、,、,0/0,*,0
            ます,助動詞,*,*,*,特殊・マス,基本形,ます,マス,マス’,1/2,動詞%F4@1/助詞%F2@1,1

            [Output label]
            0 3100000 xx^xx-sil+ky=o/A:xx+xx+xx
            """
        let morphemes = OpenJTalk.morphemes(inTrace: trace)
        #expect(morphemes.map(\.surface) == ["今日", "は", "，", "ます"])
        #expect(morphemes.map(\.pronunciation) == ["キョー", "ワ", "、", "マス"])
        #expect(morphemes.map(\.joinsPrevious) == [false, true, false, true])
        #expect(morphemes.map(\.isSymbol) == [false, false, true, false])
    }
}
