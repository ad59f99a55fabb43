import AiShortsCore
import Foundation
import Testing

/// Writes `text` to a fresh temp file with the given extension and loads it with `WordTimings.load`.
private func load(_ text: String, extension ext: String) throws(VoiceError) -> [TimedWord] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-words-\(UUID().uuidString).\(ext)")
    defer { try? FileManager.default.removeItem(at: url) }
    do {
        try Data(text.utf8).write(to: url)
    } catch {
        Issue.record("cannot write \(url.path): \(error)")
        return []
    }
    return try WordTimings.load(from: url)
}

/// Expects `body` to throw a `VoiceError` with code `badTimings`.
private func expectBadTimings(_ body: () throws(VoiceError) -> [TimedWord], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let words = try body()
        Issue.record("expected badTimings, got \(words)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == .badTimings, sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    }
}

@Suite struct WordTimingsTests {
    // MARK: - JSON

    @Test func jsonWithWordKeys() throws {
        let json = """
            [{"word": "Did", "start": 0.0, "end": 0.21},
             {"word": "you", "start": 0.25, "end": 0.4},
             {"word": "know?", "start": 0.41, "end": 0.9}]
            """
        let words = try WordTimings.parseJSON(json, name: "w.json")
        #expect(words == [
            TimedWord(text: "Did", start: 0, end: 0.21),
            TimedWord(text: "you", start: 0.25, end: 0.4),
            TimedWord(text: "know?", start: 0.41, end: 0.9),
        ])
    }

    @Test func jsonWithTextKeysAndExtraFields() throws {
        let json = #"[{"text": "Hello", "start": 1, "end": 1.5, "confidence": 0.98}, {"text": "there", "start": 1.6, "end": 2}]"#
        let words = try WordTimings.parseJSON(json, name: "w.json")
        #expect(words.map(\.text) == ["Hello", "there"])
        #expect(words.map(\.start) == [1, 1.6])
        #expect(words.map(\.end) == [1.5, 2])
    }

    @Test func jsonPrefersWordOverText() throws {
        let words = try WordTimings.parseJSON(#"[{"word": "a", "text": "b", "start": 0, "end": 1}]"#, name: "w.json")
        #expect(words.map(\.text) == ["a"])
    }

    @Test func jsonLoadedFromAFile() throws {
        let words = try load(#"[{"word": "one", "start": 0.1, "end": 0.3}, {"word": "two", "start": 0.3, "end": 0.6}]"#, extension: "json")
        #expect(words == [TimedWord(text: "one", start: 0.1, end: 0.3), TimedWord(text: "two", start: 0.3, end: 0.6)])
    }

    @Test(arguments: [
        "not json",
        #"{"word": "a", "start": 0, "end": 1}"#,
        #"[{"word": "a", "start": "zero", "end": 1}]"#,
        #"[{"word": "a", "end": 1}]"#,
        #"[{"start": 0, "end": 1}]"#,
    ])
    func malformedJSONIsBadTimings(json: String) {
        expectBadTimings { () throws(VoiceError) in try WordTimings.parseJSON(json, name: "w.json") }
    }

    @Test func entryWithoutAWordNamesTheEntry() {
        do {
            _ = try WordTimings.parseJSON(#"[{"word": "a", "start": 0, "end": 1}, {"start": 1, "end": 2}]"#, name: "w.json")
            Issue.record("expected badTimings")
        } catch {
            #expect(error.code == .badTimings)
            #expect(error.message.contains("entry 1"))
            #expect(error.message.contains("w.json"))
        }
    }

    // MARK: - SRT

    @Test func srtOneWordPerCueGivesExactTimes() throws {
        let srt = """
            1
            00:00:00,500 --> 00:00:00,900
            Hello

            2
            00:00:01,000 --> 00:00:01,750
            world.

            """
        let words = try WordTimings.parseSRT(srt, name: "w.srt")
        #expect(words.count == 2)
        #expect(words.map(\.text) == ["Hello", "world."])
        #expect(abs(words[0].start - 0.5) < 1e-9 && abs(words[0].end - 0.9) < 1e-9)
        #expect(abs(words[1].start - 1.0) < 1e-9 && abs(words[1].end - 1.75) < 1e-9)
    }

    @Test func srtMultiWordCueIsSplitInProportionToWordLength() throws {
        let srt = """
            1
            00:01:02,000 --> 00:01:04,600
            Hi wonderful
            world

            """
        let words = try WordTimings.parseSRT(srt, name: "w.srt")
        #expect(words.map(\.text) == ["Hi", "wonderful", "world"])
        let start = 62.0
        let end = 64.6
        // Lengths 2, 9 and 5 characters share 2.6 seconds.
        let expectedEnds = [start + 2.6 * 2 / 16, start + 2.6 * 11 / 16, end]
        for (word, expectedEnd) in zip(words, expectedEnds) {
            #expect(abs(word.end - expectedEnd) < 1e-9)
            #expect(word.start >= start - 1e-9 && word.end <= end + 1e-9, "\(word) leaves the cue")
            #expect(word.end > word.start)
        }
        #expect(abs(words[0].start - start) < 1e-9)
        for (a, b) in zip(words, words.dropFirst()) { #expect(abs(a.end - b.start) < 1e-9) }
        let longest = try #require(words.max { ($0.end - $0.start) < ($1.end - $1.start) })
        #expect(longest.text == "wonderful")
    }

    @Test func srtWithCRLFAndPunctuationTokens() throws {
        let srt = "1\r\n00:00:00,000 --> 00:00:01,000\r\nWait , what ?\r\n\r\n2\r\n00:00:01,200 --> 00:00:02,000\r\nNo.\r\n"
        let words = try WordTimings.parseSRT(srt, name: "w.srt")
        #expect(words.map(\.text) == ["Wait,", "what?", "No."])
        #expect(abs(words[1].end - 1.0) < 1e-9)
        #expect(abs(words[2].start - 1.2) < 1e-9)
    }

    @Test func srtLoadedByExtension() throws {
        let srt = "1\n00:00:00,100 --> 00:00:00,400\nOne\n\n2\n00:00:00,400 --> 00:00:00,800\nTwo\n"
        let words = try load(srt, extension: "SRT")
        #expect(words.map(\.text) == ["One", "Two"])
    }

    @Test func srtBadTimeLineIsBadTimings() {
        let srt = "1\n00:00:xx,100 --> 00:00:00,400\nOne\n"
        expectBadTimings { () throws(VoiceError) in try WordTimings.parseSRT(srt, name: "w.srt") }
    }

    // MARK: - Validation (through load)

    @Test func endBeforeStartIsRefused() {
        expectBadTimings { () throws(VoiceError) in
            try load(#"[{"word": "a", "start": 0, "end": 0.5}, {"word": "b", "start": 1.0, "end": 0.9}]"#, extension: "json")
        }
    }

    @Test func srtCueEndingBeforeItStartsIsRefused() {
        expectBadTimings { () throws(VoiceError) in
            try load("1\n00:00:02,000 --> 00:00:01,000\nBackwards cue\n", extension: "srt")
        }
    }

    @Test func negativeStartIsRefused() {
        expectBadTimings { () throws(VoiceError) in
            try load(#"[{"word": "a", "start": -0.5, "end": 0.5}]"#, extension: "json")
        }
    }

    @Test func unsortedWordsAreRefused() {
        do {
            _ = try load(
                #"[{"word": "a", "start": 0, "end": 0.5}, {"word": "b", "start": 2, "end": 2.5}, {"word": "c", "start": 1, "end": 1.5}]"#,
                extension: "json"
            )
            Issue.record("expected badTimings")
        } catch {
            #expect(error.code == .badTimings)
            #expect(error.message.contains("\"c\""))
            #expect(error.message.contains("sort"))
        }
    }

    @Test func emptyListIsRefused() {
        expectBadTimings { () throws(VoiceError) in try load("[]", extension: "json") }
        expectBadTimings { () throws(VoiceError) in try load("1\nno times here\n", extension: "srt") }
    }

    @Test func missingFileIsBadTimings() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-none-\(UUID().uuidString).json")
        expectBadTimings { () throws(VoiceError) in try WordTimings.load(from: url) }
    }

    @Test func equalStartsAndZeroLengthWordsAreAccepted() throws {
        let words = try load(#"[{"word": "a", "start": 0.5, "end": 0.5}, {"word": "b", "start": 0.5, "end": 0.7}]"#, extension: "json")
        #expect(words.count == 2)
    }

    // MARK: - Narration words

    @Test func punctuationOnlyTokensAttachToThePreviousWord() {
        #expect(Narration.words(in: "Hello , world !") == ["Hello,", "world!"])
        #expect(Narration.words(in: "Wait — what ?!  Really ...") == ["Wait—", "what?!", "Really..."])
    }

    @Test func tokensAreSplitOnAnyWhitespace() {
        #expect(Narration.words(in: "one\ttwo\nthree  four\r\nfive") == ["one", "two", "three", "four", "five"])
    }

    @Test func leadingPunctuationOnlyTokensAreDropped() {
        #expect(Narration.words(in: "— Hello there") == ["Hello", "there"])
    }

    @Test func wordsWithDigitsOrInnerPunctuationAreWords() {
        #expect(Narration.words(in: "In 1969, \"Apollo-11\" landed (really).") == ["In", "1969,", "\"Apollo-11\"", "landed", "(really)."])
        #expect(Narration.words(in: "Ünïcode naïve café") == ["Ünïcode", "naïve", "café"])
    }

    @Test func noWordsInEmptyOrPunctuationOnlyText() {
        #expect(Narration.words(in: "").isEmpty)
        #expect(Narration.words(in: "  ... — !? ").isEmpty)
    }
}
