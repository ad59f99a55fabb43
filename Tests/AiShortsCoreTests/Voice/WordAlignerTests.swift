@testable import AiShortsCore
import Testing

@Suite("WordAligner")
struct WordAlignerTests {
    typealias Spoken = WordAligner.Spoken

    @Test("words spelled the same take their token's span exactly")
    func exactPairs() {
        let spoken = [Spoken(text: "Hello", start: 0.3, end: 0.7), Spoken(text: ",", start: 0.7, end: 0.7),
                      Spoken(text: "world", start: 0.8, end: 1.2), Spoken(text: ".", start: 1.2, end: 1.3)]
        let words = WordAligner.align(script: ["Hello,", "world."], spoken: spoken, span: 0...1.5)
        #expect(words == [TimedWord(text: "Hello,", start: 0.3, end: 0.7), TimedWord(text: "world.", start: 0.8, end: 1.2)])
    }

    @Test("a word read as several tokens takes all of their span")
    func expandedWord() {
        // "$9.99" is read "nine dollars and ninety-nine cents".
        let spoken = [Spoken(text: "It", start: 0.2, end: 0.3), Spoken(text: "costs", start: 0.3, end: 0.6),
                      Spoken(text: "nine", start: 0.6, end: 0.8), Spoken(text: "dollars", start: 0.8, end: 1.1),
                      Spoken(text: "and", start: 1.1, end: 1.2), Spoken(text: "ninety-nine", start: 1.2, end: 1.6),
                      Spoken(text: "cents", start: 1.6, end: 1.9), Spoken(text: "today", start: 2.0, end: 2.4)]
        let words = WordAligner.align(script: ["It", "costs", "$9.99", "today."], spoken: spoken, span: 0...2.5)
        #expect(words.map(\.text) == ["It", "costs", "$9.99", "today."])
        #expect(words[2].start == 0.6 && words[2].end == 1.9)
        #expect(words[3].start == 2.0)
    }

    @Test("several words read as fewer tokens share their span by length")
    func sharedSpan() {
        let spoken = [Spoken(text: "Doctor", start: 0, end: 0.5), Spoken(text: "Smith", start: 0.5, end: 1.0)]
        let words = WordAligner.align(script: ["Dr.", "J.", "Smith"], spoken: spoken, span: 0...1)
        #expect(words.map(\.text) == ["Dr.", "J.", "Smith"])
        #expect(words[0].start == 0 && words[1].end == 0.5)
        #expect(words[0].end <= words[1].start + 1e-9)
        #expect(words[2].start == 0.5 && words[2].end == 1.0)
    }

    @Test("times never go backwards, and nothing readable spreads words over the span")
    func monotonicAndFallback() {
        let spread = WordAligner.align(script: ["🙂", "ok"], spoken: [], span: 1...3)
        #expect(spread.count == 2)
        #expect(spread[0].start == 1 && spread[1].end == 3)
        let odd = WordAligner.align(script: ["a", "b", "c"], spoken: [Spoken(text: "c", start: 0.1, end: 0.2), Spoken(text: "a", start: 0.5, end: 0.6)],
                                    span: 0...1)
        #expect(odd.count == 3)
        for (first, second) in zip(odd, odd.dropFirst()) { #expect(first.end <= second.start + 1e-9) }
        for word in odd { #expect(word.start <= word.end) }
    }
}
