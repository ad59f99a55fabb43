import AiShortsCore
import Foundation
import Testing

/// Words spoken back to back: each lasts `length` seconds with `gap` seconds between words, except where
/// `pauses` gives a longer gap before a word index.
private func timedWords(_ texts: [String], length: Double = 0.3, gap: Double = 0.05, pauses: [Int: Double] = [:]) -> [TimedWord] {
    var clock = 0.2
    var words: [TimedWord] = []
    for (index, text) in texts.enumerated() {
        if index > 0 { clock += pauses[index] ?? gap }
        words.append(TimedWord(text: text, start: clock, end: clock + length))
        clock += length
    }
    return words
}

/// Checks what holds for any grouping: order, no overlap, every word once, lines cover their words.
private func expectWellFormed(_ lines: [CaptionLine], from words: [TimedWord], maxWords: Int) {
    #expect(lines.flatMap(\.words) == words, "every word exactly once, in order")
    for line in lines {
        #expect(!line.words.isEmpty)
        #expect(line.words.count <= maxWords)
        #expect(line.start <= line.end)
        if let first = line.words.first, let last = line.words.last {
            #expect(line.start == first.start)
            #expect(line.end >= last.end)
        }
    }
    for (a, b) in zip(lines, lines.dropFirst()) {
        #expect(a.end <= b.start, "line ending \(a.end) overlaps the next starting \(b.start)")
        #expect(a.start < b.start)
    }
}

/// The `Dialogue:` events of a script, as (start, end, text).
private func dialogues(_ script: String) -> [(start: String, end: String, text: String)] {
    script.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("Dialogue: ") else { return nil }
        let fields = line.dropFirst("Dialogue: ".count).split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)
        guard fields.count == 10 else { return nil }
        return (String(fields[1]), String(fields[2]), String(fields[9]))
    }
}

@Suite struct CaptionTests {
    // MARK: - Grouping

    @Test(arguments: [2, 3, 4])
    func neverMoreThanMaxWords(maxWords: Int) {
        let words = timedWords((1...17).map { "word\($0)" })
        let lines = CaptionLine.group(words, maxWords: maxWords, maxCharacters: 200)
        expectWellFormed(lines, from: words, maxWords: maxWords)
        // With nothing else to break on, every line but the last is full.
        #expect(lines.dropLast().allSatisfy { $0.words.count == maxWords })
        #expect(lines.count == (17 + maxWords - 1) / maxWords)
    }

    @Test func breaksAfterClausePunctuation() {
        let words = timedWords(["Hello", "world,", "this", "is", "fine.", "Then", "more", "words", "follow"])
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 200)
        expectWellFormed(lines, from: words, maxWords: 4)
        #expect(lines.map { $0.words.map(\.text) } == [
            ["Hello", "world,"],
            ["this", "is", "fine."],
            ["Then", "more", "words", "follow"],
        ])
    }

    @Test func aSentenceEndStandsAloneButALoneCommaWordDoesNot() {
        let words = timedWords(["Stop.", "Well,", "then", "go"])
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 200)
        expectWellFormed(lines, from: words, maxWords: 4)
        #expect(lines.map { $0.words.map(\.text) } == [["Stop."], ["Well,", "then", "go"]])
    }

    @Test func pauseLongerThanHalfASecondSplits() {
        let words = timedWords(["one", "two", "three", "four"], pauses: [2: 0.6])
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 200)
        expectWellFormed(lines, from: words, maxWords: 4)
        #expect(lines.map { $0.words.map(\.text) } == [["one", "two"], ["three", "four"]])
        // The first line leaves 0.35 s after its last word rather than waiting for the next line.
        #expect(abs(lines[0].end - (words[1].end + 0.35)) < 1e-9)
    }

    @Test func pauseOfHalfASecondOrLessDoesNotSplit() {
        let words = timedWords(["one", "two", "three", "four"], pauses: [2: 0.45])
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 200)
        #expect(lines.map { $0.words.map(\.text) } == [["one", "two", "three", "four"]])
    }

    @Test func lineBreaksBeforeExceedingMaxCharacters() {
        let words = timedWords(["extraordinary", "circumstances", "everywhere", "today"])
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 20)
        expectWellFormed(lines, from: words, maxWords: 4)
        for line in lines where line.words.count > 1 {
            #expect(line.words.map { CaptionLine.display($0.text) }.joined(separator: " ").count <= 20)
        }
        #expect(lines.count >= 3)
    }

    @Test func linesStayUpUntilTheNextOneBegins() {
        let words = timedWords((1...9).map { "w\($0)" })
        let lines = CaptionLine.group(words, maxWords: 3, maxCharacters: 200)
        for (a, b) in zip(lines, lines.dropFirst()) {
            #expect(a.end == b.start)
        }
        #expect(lines.count == 3)
        #expect(lines.last.map { abs($0.end - (words[8].end + 0.35)) < 1e-9 } == true)
    }

    @Test func realisticScriptIsWellFormed() {
        let text = "Did you know? Octopuses have three hearts, blue blood, and they can taste with their arms. "
            + "Some species even change colour in a fraction of a second; scientists still argue about how."
        let tokens = Narration.words(in: text)
        var pauses: [Int: Double] = [:]
        for (index, token) in tokens.enumerated() where token.hasSuffix(".") || token.hasSuffix("?") {
            pauses[index + 1] = 0.7
        }
        let words = timedWords(tokens, length: 0.27, gap: 0.04, pauses: pauses)
        let lines = CaptionLine.group(words, maxWords: 3, maxCharacters: 22)
        expectWellFormed(lines, from: words, maxWords: 3)
    }

    @Test func emptyInputGivesNoLines() {
        #expect(CaptionLine.group([], maxWords: 3, maxCharacters: 20).isEmpty)
    }

    @Test func displayDropsTrailingStopsButKeepsQuestionMarks() {
        #expect(CaptionLine.display("world,") == "world")
        #expect(CaptionLine.display("end...") == "end")
        #expect(CaptionLine.display("why?") == "why?")
        #expect(CaptionLine.display("wow!") == "wow!")
        #expect(CaptionLine.display("3.5") == "3.5")
    }

    // MARK: - ASS

    @Test func scriptHeaderNamesTheFrameSize() {
        let style = CaptionStyle(width: 1080, height: 1920)
        let script = ASSSubtitles.script(lines: [], style: style, width: 1080, height: 1920)
        #expect(script.contains("[Script Info]"))
        #expect(script.contains("PlayResX: 1080\n"))
        #expect(script.contains("PlayResY: 1920\n"))
        #expect(script.contains("[V4+ Styles]"))
        #expect(script.contains("[Events]"))
        #expect(dialogues(script).isEmpty)
        // The style line carries the margins.
        let styleLine = script.split(separator: "\n").first { $0.hasPrefix("Style: Caption,") }
        let fields = styleLine.map { $0.split(separator: ",", omittingEmptySubsequences: false) } ?? []
        #expect(fields.count == 23)
        if fields.count == 23 {
            #expect(Int(fields[19]) == style.marginSide)
            #expect(Int(fields[20]) == style.marginSide)
            #expect(Int(fields[21]) == style.marginBottom)
            #expect(Int(fields[2]) == style.fontSize)
        }
    }

    @Test func oneDialoguePerWordWithTheSpokenWordHighlighted() throws {
        let style = CaptionStyle(width: 1080, height: 1920)
        let words = timedWords(["Octopuses", "have", "three", "hearts.", "And", "blue", "blood!"])
        let lines = CaptionLine.group(words, maxWords: 3, maxCharacters: 30)
        let script = ASSSubtitles.script(lines: lines, style: style, width: 1080, height: 1920)
        let events = dialogues(script)
        #expect(events.count == words.count)
        let highlightOn = "{\\c\(style.highlightColor)&}"
        let highlightOff = "{\\c\(style.textColor)&}"
        var eventIndex = 0
        for line in lines {
            for (index, word) in line.words.enumerated() {
                let event = try #require(events.indices.contains(eventIndex) ? events[eventIndex] : nil)
                let shown = CaptionLine.display(word.text)
                #expect(event.text.contains(highlightOn + shown + highlightOff))
                #expect(event.text.components(separatedBy: highlightOn).count == 2, "exactly one highlighted word")
                // The whole line is visible in every event of it.
                let plain = event.text.replacingOccurrences(of: highlightOn, with: "").replacingOccurrences(of: highlightOff, with: "")
                #expect(plain == line.words.map { CaptionLine.display($0.text) }.joined(separator: " "))
                if index == 0 { #expect(event.start == ASSSubtitles.timestamp(line.start)) }
                if index == line.words.count - 1 { #expect(event.end == ASSSubtitles.timestamp(line.end)) }
                eventIndex += 1
            }
        }
    }

    @Test func eventsOfOneLineAbutExactly() {
        let style = CaptionStyle(width: 1080, height: 1920)
        // Odd times that round differently at centisecond resolution.
        let words = [
            TimedWord(text: "alpha", start: 0.123, end: 0.404),
            TimedWord(text: "beta", start: 0.4449, end: 0.7151),
            TimedWord(text: "gamma", start: 0.7351, end: 1.0049),
            TimedWord(text: "delta", start: 1.0151, end: 1.333),
        ]
        let lines = CaptionLine.group(words, maxWords: 4, maxCharacters: 100)
        #expect(lines.count == 1)
        let events = dialogues(ASSSubtitles.script(lines: lines, style: style, width: 1080, height: 1920))
        #expect(events.count == 4)
        for (a, b) in zip(events, events.dropFirst()) {
            #expect(a.end == b.start)
        }
        #expect(events.first?.start == "0:00:00.12")
        #expect(events.last?.end == ASSSubtitles.timestamp(1.333 + 0.35))
    }

    @Test func textIsEscapedSoItCannotOpenOverrideTags() {
        let style = CaptionStyle(width: 1080, height: 1920)
        let words = [TimedWord(text: "{\\b1}bold", start: 0, end: 0.5), TimedWord(text: "a\\Nb", start: 0.5, end: 1)]
        let script = ASSSubtitles.script(lines: CaptionLine.group(words, maxWords: 3, maxCharacters: 100), style: style, width: 1080, height: 1920)
        for event in dialogues(script) {
            let stripped = event.text.replacingOccurrences(of: "{\\c\(style.highlightColor)&}", with: "")
                .replacingOccurrences(of: "{\\c\(style.textColor)&}", with: "")
            #expect(!stripped.contains("{"))
            #expect(!stripped.contains("}"))
            #expect(!stripped.contains("\\"))
        }
    }

    @Test(arguments: [
        (3661.234, "1:01:01.23"),
        (0, "0:00:00.00"),
        (0.005, "0:00:00.01"),
        (59.999, "0:01:00.00"),
        (61.5, "0:01:01.50"),
        (36000, "10:00:00.00"),
        (-1, "0:00:00.00"),
    ])
    func timestampFormatting(seconds: Double, expected: String) {
        #expect(ASSSubtitles.timestamp(seconds) == expected)
    }

    // MARK: - Style

    @Test func portraitStyleKeepsCaptionsInsideTheSafeArea() {
        let style = CaptionStyle(width: 1080, height: 1920)
        #expect(Double(style.marginBottom) >= 0.25 * 1920)
        #expect(Double(style.marginSide) >= 0.10 * 1080)
        // The caption box must not reach the top half of the frame either.
        #expect(style.marginBottom < 1920 / 2)
        // A full line of maxCharacters average-width glyphs fits between the margins.
        #expect(Double(style.maxCharacters) * Double(style.fontSize) * 0.56 <= Double(1080 - 2 * style.marginSide))
        #expect(style.maxCharacters >= 8)
        #expect(style.fontSize > 40 && style.fontSize < 200)
        #expect(style.outline >= 2)
    }

    @Test func landscapeAndSquareStylesScaleToTheFrame() {
        for (width, height) in [(1920, 1080), (1080, 1080)] {
            let style = CaptionStyle(width: width, height: height)
            #expect(style.marginBottom > 0 && style.marginBottom < height / 2)
            #expect(Double(style.marginSide) >= 0.10 * Double(width))
            #expect(Double(style.maxCharacters) * Double(style.fontSize) * 0.56 <= Double(width - 2 * style.marginSide))
        }
    }
}
