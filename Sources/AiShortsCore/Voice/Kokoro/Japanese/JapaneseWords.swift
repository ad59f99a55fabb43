import Foundation

/// Splits Japanese script text into caption words, from open_jtalk's morphemes.
///
/// Japanese has no spaces between words, so the morphemes are grouped: particles, auxiliaries,
/// suffixes, dependent verbs and the rest of an accent phrase join the word before them, the digits of a
/// number and the letters of a Latin word stay one word, punctuation joins the word before it and an opening bracket or a prefix the
/// word after it. Each word's text is taken from the script itself (not from open_jtalk's surface
/// forms, which widen ASCII and write digits as kanji), so the words put together are the script,
/// spaces removed.
enum JapaneseWords {
    /// One caption word: its text from the script and the morphemes it is made of.
    struct Word: Sendable, Hashable {
        var text: String
        var morphemes: Range<Int>
    }

    /// The caption words of `sentence`, given its morphemes in order.
    static func words(_ morphemes: [OpenJTalk.Morpheme], in sentence: String) -> [Word] {
        let spans = spans(of: morphemes, in: Array(sentence))
        let characters = Array(sentence)
        var groups: [Range<Int>] = []
        for index in morphemes.indices {
            if index > 0, attaches(morphemes[index], after: morphemes[index - 1]), let last = groups.popLast() {
                groups.append(last.lowerBound..<index + 1)
            } else {
                groups.append(index..<index + 1)
            }
        }
        // A group with nothing to say (punctuation, a space open_jtalk kept) joins the word before it,
        // or the word after it at the start of the sentence.
        var words: [Word] = []
        var pending: Word?
        for group in groups {
            let text = String(group.flatMap { characters[spans[$0]] }.filter { !$0.isWhitespace })
            if !text.contains(where: { $0.isLetter || $0.isNumber }) {
                if let last = words.popLast() {
                    words.append(Word(text: last.text + text, morphemes: last.morphemes.lowerBound..<group.upperBound))
                } else {
                    pending = Word(text: (pending?.text ?? "") + text, morphemes: (pending?.morphemes.lowerBound ?? group.lowerBound)..<group.upperBound)
                }
                continue
            }
            words.append(Word(text: (pending?.text ?? "") + text, morphemes: (pending?.morphemes.lowerBound ?? group.lowerBound)..<group.upperBound))
            pending = nil
        }
        if let pending, !pending.text.isEmpty { words.append(pending) }
        // Script text no morpheme accounted for stays with the last word.
        let covered = spans.map(\.upperBound).max() ?? 0
        let rest = String(characters[min(covered, characters.count)...].filter { !$0.isWhitespace })
        if !rest.isEmpty {
            if let last = words.popLast() {
                words.append(Word(text: last.text + rest, morphemes: last.morphemes))
            } else {
                words.append(Word(text: rest, morphemes: 0..<morphemes.count))
            }
        }
        return words
    }

    /// Whether `morpheme` belongs to the same caption word as the one before it.
    static func attaches(_ morpheme: OpenJTalk.Morpheme, after previous: OpenJTalk.Morpheme) -> Bool {
        if isOpening(previous) || previous.partOfSpeech == "接頭詞" { return true }
        if morpheme.isSymbol { return !isOpening(morpheme) }
        // After a full stop or comma a new word starts; a particle after a closing quote still joins it.
        if previous.isSymbol && !(previous.detail == "括弧閉" && morpheme.partOfSpeech == "助詞") { return false }
        if morpheme.partOfSpeech == "助詞" || morpheme.partOfSpeech == "助動詞" { return true }
        if morpheme.detail == "接尾" || morpheme.detail == "非自立" { return true }
        if morpheme.detail == previous.detail && (morpheme.detail == "数" || morpheme.detail == "アルファベット") { return true }
        return morpheme.joinsPrevious
    }

    /// Whether a symbol opens a bracket or quotation, and so belongs to the word after it.
    static func isOpening(_ morpheme: OpenJTalk.Morpheme) -> Bool {
        morpheme.isSymbol && (morpheme.detail == "括弧開" || ["「", "『", "（", "(", "“", "【", "《", "〈"].contains(morpheme.surface))
    }

    /// For each morpheme, the range of `script` characters it stands for (empty when none).
    ///
    /// Surfaces are compared after NFKC (open_jtalk writes `ＡＩ` for `AI`); a run of number morphemes
    /// (`二千二十四`) stands for the run of digits it reads (`2024`, commas included); a morpheme that
    /// is not found where expected is looked for a few characters further on, and what it skipped is
    /// its own.
    static func spans(of morphemes: [OpenJTalk.Morpheme], in script: [Character]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var position = 0
        var inNumber = false
        for morpheme in morphemes {
            while position < script.count, script[position].isWhitespace { position += 1 }
            let target = folded(morpheme.surface)
            if target.allSatisfy(\.isWhitespace) {
                spans.append(position..<position)
                inNumber = false
                continue
            }
            if let end = match(target, in: script, at: position) {
                spans.append(position..<end)
                position = end
                inNumber = morpheme.detail == "数" && script[end - 1].isNumber
                continue
            }
            if morpheme.detail == "数", position < script.count, isDigit(script[position]) || inNumber {
                if inNumber {
                    spans.append(position..<position)
                } else {
                    var end = position
                    while end < script.count, isDigit(script[end]) || (",，".contains(script[end]) && end + 1 < script.count && isDigit(script[end + 1])) {
                        end += 1
                    }
                    spans.append(position..<end)
                    position = end
                }
                inNumber = true
                continue
            }
            inNumber = false
            if let skip = (1...6).first(where: { position + $0 < script.count && match(target, in: script, at: position + $0) != nil }),
               let end = match(target, in: script, at: position + skip) {
                spans.append(position..<end)
                position = end
            } else {
                spans.append(position..<position)
            }
        }
        return spans
    }

    /// The end of `target` when the script spells it from `start` (compared after NFKC), else nil.
    private static func match(_ target: String, in script: [Character], at start: Int) -> Int? {
        var text = ""
        var end = start
        while end < script.count {
            text += folded(String(script[end]))
            end += 1
            if text == target { return end }
            if !target.hasPrefix(text) { return nil }
        }
        return nil
    }

    private static func folded(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isNumber && folded(String(character)).allSatisfy(\.isASCII)
    }
}
