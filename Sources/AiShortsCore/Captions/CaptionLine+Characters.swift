extension CaptionLine {
    /// Groups timed words into caption lines by characters, for scripts written without spaces
    /// (Japanese, Chinese, Thai), where a line of a few "words" could be two characters or twenty.
    ///
    /// A line holds `minCharacters` to `maxCharacters` shown characters (``display(_:)``; grapheme
    /// clusters, so a Thai letter with its marks counts once). A line ends before a word that would
    /// overflow it, after a sentence (`。！？`), and after a clause mark (`、`) or before a pause longer
    /// than half a second once it has its minimum. A word longer than a line is cut into pieces of
    /// whole characters that share its time in proportion. A line left shorter than the minimum
    /// takes words from the line before it, or joins it, where they fit; only a text shorter than
    /// the minimum altogether makes a shorter line. Lines keep the times of ``group(_:maxWords:maxCharacters:)``.
    public static func groupByCharacters(_ words: [TimedWord], minCharacters: Int, maxCharacters: Int) -> [CaptionLine] {
        let pieces = words.flatMap { split($0, maxCharacters: maxCharacters) }
        var groups: [[TimedWord]] = []
        var current: [TimedWord] = []
        for word in pieces {
            let length = characters(current)
            if let last = current.last,
                length + characters([word]) > maxCharacters || endsSentence(last.text)
                    || (length >= minCharacters && (word.start - last.end > 0.5 || endsClause(last.text)))
            {
                groups.append(current)
                current = []
            }
            current.append(word)
        }
        if !current.isEmpty { groups.append(current) }
        return timed(balanced(groups, minCharacters: minCharacters, maxCharacters: maxCharacters))
    }

    /// Shown characters of `words` on one line.
    static func characters(_ words: [TimedWord]) -> Int {
        words.reduce(0) { $0 + display($1.text).count }
    }

    /// `word` cut into pieces of at most `maxCharacters` characters, sharing its time by length.
    static func split(_ word: TimedWord, maxCharacters: Int) -> [TimedWord] {
        let characters = Array(word.text)
        guard display(word.text).count > maxCharacters, maxCharacters > 0 else { return [word] }
        var pieces: [TimedWord] = []
        var start = word.start
        let perCharacter = (word.end - word.start) / Double(characters.count)
        for offset in stride(from: 0, to: characters.count, by: maxCharacters) {
            let text = String(characters[offset..<min(offset + maxCharacters, characters.count)])
            let end = start + perCharacter * Double(text.count)
            pieces.append(TimedWord(text: text, start: start, end: end))
            start = end
        }
        return pieces
    }

    /// Lines shorter than the minimum take the words they can from the line before them, or join it.
    static func balanced(_ groups: [[TimedWord]], minCharacters: Int, maxCharacters: Int) -> [[TimedWord]] {
        var result: [[TimedWord]] = []
        for group in groups {
            var group = group
            guard characters(group) < minCharacters, var previous = result.popLast() else {
                result.append(group)
                continue
            }
            if characters(previous) + characters(group) <= maxCharacters {
                result.append(previous + group)
                continue
            }
            while characters(group) < minCharacters, let moved = previous.last,
                characters(previous) - characters([moved]) >= minCharacters,
                characters(group) + characters([moved]) <= maxCharacters
            {
                group.insert(previous.removeLast(), at: 0)
            }
            result += [previous, group]
        }
        return result
    }

    /// Lines from word groups, each shown until the next begins (or 0.35 s after its last word
    /// when a longer pause follows).
    static func timed(_ groups: [[TimedWord]]) -> [CaptionLine] {
        var lines: [CaptionLine] = []
        for (index, group) in groups.enumerated() {
            guard let first = group.first, let last = group.last else { continue }
            var end = last.end + 0.35
            if index + 1 < groups.count, let nextStart = groups[index + 1].first?.start {
                end = nextStart - last.end <= 0.6 ? nextStart : min(end, nextStart)
            }
            lines.append(CaptionLine(words: group, start: first.start, end: max(end, last.end)))
        }
        return lines
    }
}
