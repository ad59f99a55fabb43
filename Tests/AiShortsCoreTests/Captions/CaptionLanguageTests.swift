import AiShortsCore
import Foundation
import Testing

@Suite("Captions in other scripts")
struct CaptionLanguageTests {
    /// Timed words one after another, each as long as its characters (0.12 s each), with a breath
    /// after a clause mark.
    static func timed(_ words: [String]) -> [TimedWord] {
        var start = 0.1
        return words.map { word in
            let end = start + 0.12 * Double(word.count)
            defer { start = end + (CaptionLine.display(word) == word ? 0.03 : 0.25) }
            return TimedWord(text: word, start: start, end: end)
        }
    }

    /// Words as a Japanese front end gives them: segmented, punctuation attached.
    static let japanese = [
        "ハキリアリ", "は、", "運ん", "で", "きた", "葉", "を", "食べる", "わけ", "で", "は", "ありません。",
        "森", "の", "中", "を、", "緑", "の", "葉", "を", "持っ", "て", "長い", "列", "で", "歩い", "て", "いき", "ます。",
        "人間", "が", "農業", "を", "始め", "た", "の", "は", "一万年前", "です。",
    ]

    @Test func japaneseLinesHoldSixToFourteenCharacters() throws {
        let words = Self.timed(Self.japanese)
        let style = CaptionStyle(width: 1080, height: 1920, language: try #require(LanguageTag("ja")))
        let lines = CaptionLine.group(words, maxWords: 3, style: style)
        #expect(lines.count >= 4)
        for line in lines {
            let shown = line.words.map { CaptionLine.display($0.text) }.joined()
            #expect((6...14).contains(shown.count), "\(shown) has \(shown.count) characters")
        }
        // Every word once, in order; times monotonic; lines never overlap.
        #expect(lines.flatMap(\.words) == words)
        for (line, next) in zip(lines, lines.dropFirst()) {
            #expect(line.start <= line.end && line.end <= next.start)
        }
        // Sentences end lines: a short last phrase borrows a word from the line before rather than
        // running on into the next sentence.
        for sentenceEnd in ["ありません。", "ます。", "です。"] {
            #expect(lines.contains { $0.words.last?.text == sentenceEnd }, "\(sentenceEnd) ends a line")
        }
        #expect(lines.first?.words.map(\.text).joined() == "ハキリアリは、", "a clause mark ends a line that has its six characters")
    }

    @Test func aWordLongerThanALineIsCutIntoWholeCharacters() throws {
        let long = TimedWord(text: "一二三四五六七八九十一二三四五六七八九十", start: 1, end: 3)
        let lines = CaptionLine.groupByCharacters([long], minCharacters: 6, maxCharacters: 14)
        #expect(lines.map { $0.words.map(\.text).joined() } == ["一二三四五六七八九十一二三四", "五六七八九十"])
        #expect(lines[0].start == 1 && abs(lines[1].words[0].end - 3) < 1e-9)
        #expect(abs(lines[1].start - (1 + 2 * 14.0 / 20)) < 1e-9)
    }

    @Test func aShortTailBorrowsFromTheLineBefore() {
        // Greedy lines would be 一二三四五六七八|九十一二|三四 (14) and 五六 (2): the tail takes words back.
        let words = Self.timed(["一二三四五六七八", "九十一二", "三四", "五六"])
        let lines = CaptionLine.groupByCharacters(words, minCharacters: 6, maxCharacters: 14)
        #expect(lines.map { $0.words.map(\.text).joined() } == ["一二三四五六七八", "九十一二三四五六"])
    }

    @Test func japaneseCaptionsJoinWordsWithoutSpacesInAFontWithKanji() throws {
        let style = CaptionStyle(width: 1080, height: 1920, language: try #require(LanguageTag("ja")))
        #expect(style.font == "Noto Sans CJK JP")
        #expect(style.wordSeparator.isEmpty)
        // Fourteen full-width characters fit inside the side margins.
        #expect(style.fontSize * 14 <= 1080 - 2 * style.marginSide)
        let lines = CaptionLine.group(Self.timed(["公園", "を", "散歩", "します。"]), maxWords: 3, style: style)
        let script = ASSSubtitles.script(lines: lines, style: style, width: 1080, height: 1920)
        #expect(script.contains("Style: Caption,Noto Sans CJK JP,"))
        #expect(script.contains("{\\c&H0000E0FF&}公園{\\c&H00FFFFFF&}を散歩します"))
    }

    @Test func koreanKeepsItsSpacesWithShorterLines() throws {
        let korean = CaptionStyle(width: 1080, height: 1920, language: try #require(LanguageTag("ko")))
        let latin = CaptionStyle(width: 1080, height: 1920)
        #expect(korean.wordSeparator == " " && korean.font == "Noto Sans CJK KR")
        #expect(korean.maxCharacters < latin.maxCharacters)
        #expect(Double(korean.maxCharacters * korean.fontSize) * 0.95 <= Double(1080 - 2 * korean.marginSide))
    }

    @Test func arabicCaptionsRunRightToLeftWithTheHighlightOnTheSpokenWord() throws {
        let style = CaptionStyle(width: 1080, height: 1920, language: try #require(LanguageTag("ar")))
        #expect(style.rightToLeft && style.font == "Noto Sans Arabic" && style.wordSeparator == " ")
        let lines = CaptionLine.group(Self.timed(["مرحبا", "بالعالم", "اليوم"]), maxWords: 3, style: style)
        let script = ASSSubtitles.script(lines: lines, style: style, width: 1080, height: 1920)
        let styleLine = try #require(script.split(separator: "\n").first { $0.hasPrefix("Style: Caption,") })
        #expect(styleLine.hasSuffix(",-1"), "encoding -1 lets libass find the base direction: \(styleLine)")
        #expect(script.contains("مرحبا {\\c&H0000E0FF&}بالعالم{\\c&H00FFFFFF&}"))
    }

    @Test(arguments: [
        ("en-US", "Open Sans"), ("pt-BR", "Open Sans"), ("ru", "Open Sans"), ("ja", "Noto Sans CJK JP"), ("zh-CN", "Noto Sans CJK SC"),
        ("zh-TW", "Noto Sans CJK TC"), ("ko", "Noto Sans CJK KR"), ("ar", "Noto Sans Arabic"), ("he", "Noto Sans Hebrew"),
        ("hi", "Noto Sans Devanagari"), ("bn", "Noto Sans Bengali"), ("th", "Noto Sans Thai"),
    ])
    func fontsArePickedByScript(tag: String, family: String) throws {
        #expect(CaptionFont.family(for: try #require(LanguageTag(tag))) == family)
        #expect(CaptionFont.family(for: try #require(LanguageTag(tag)), requested: "My Font") == "My Font")
    }

    @Test(.enabled(if: (try? Tool(name: "fc-match").resolved()) != nil), arguments: [
        "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai",
    ])
    func theNotoFamiliesAreInstalled(family: String) async throws {
        let result = try await ToolRunner().run(Tool(name: "fc-match"), arguments: [family])
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("\"\(family)\""), "run make bootstrap (fonts-noto-core, fonts-noto-cjk)")
    }
}
