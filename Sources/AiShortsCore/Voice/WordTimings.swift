public import Foundation

/// Reads the word timings that come with a recorded voiceover: a JSON list or an SRT file.
///
/// JSON is `[{"word": "Did", "start": 0.0, "end": 0.21}, …]` (`text` is accepted for `word`). SRT cues
/// holding several words are split across their words in proportion to each word's length, which is
/// as close as SRT allows; one word per cue gives exact times.
public enum WordTimings {
    /// Loads timings from `url`, by extension: `.srt` or JSON.
    ///
    /// - Throws: ``VoiceError`` (`badTimings`) naming the file and the problem.
    public static func load(from url: URL) throws(VoiceError) -> [TimedWord] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw VoiceError(.badTimings, "cannot read word timings \(url.path)")
        }
        let words = try url.pathExtension.lowercased() == "srt"
            ? parseSRT(text, name: url.lastPathComponent) : parseJSON(text, name: url.lastPathComponent)
        try validate(words, name: url.lastPathComponent)
        return words
    }

    private struct Entry: Decodable {
        var word: String?
        var text: String?
        var start: Double
        var end: Double
    }

    /// Parses the JSON form.
    public static func parseJSON(_ text: String, name: String) throws(VoiceError) -> [TimedWord] {
        do {
            let entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
            return try entries.enumerated().map { (index, entry) throws(VoiceError) in
                guard let word = entry.word ?? entry.text else {
                    throw VoiceError(.badTimings, "\(name): entry \(index) has no \"word\"; each entry needs word, start and end")
                }
                return TimedWord(text: word, start: entry.start, end: entry.end)
            }
        } catch let error as VoiceError {
            throw error
        } catch {
            throw VoiceError(.badTimings, "\(name) is not a JSON list of {\"word\", \"start\", \"end\"} (\(error))")
        }
    }

    /// Parses the SRT form.
    public static func parseSRT(_ text: String, name: String) throws(VoiceError) -> [TimedWord] {
        var words: [TimedWord] = []
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        for block in blocks {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let arrowLine = lines.firstIndex(where: { $0.contains("-->") }) else { continue }
            let parts = lines[arrowLine].components(separatedBy: "-->")
            guard parts.count == 2, let start = srtTime(parts[0]), let end = srtTime(parts[1]) else {
                throw VoiceError(.badTimings, "\(name): bad time line \"\(lines[arrowLine])\"")
            }
            let cueWords = Narration.words(in: lines[(arrowLine + 1)...].joined(separator: " "))
            let total = Double(cueWords.reduce(0) { $0 + $1.count })
            var cursor = start
            for word in cueWords {
                let length = (end - start) * Double(word.count) / max(total, 1)
                words.append(TimedWord(text: word, start: cursor, end: cursor + length))
                cursor += length
            }
        }
        return words
    }

    static func srtTime(_ raw: String) -> Double? {
        let parts = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
        return h * 3600 + m * 60 + s
    }

    static func validate(_ words: [TimedWord], name: String) throws(VoiceError) {
        guard !words.isEmpty else { throw VoiceError(.badTimings, "\(name) holds no words") }
        var previousStart = -Double.infinity
        for (index, word) in words.enumerated() {
            guard word.start >= 0, word.end >= word.start else {
                throw VoiceError(.badTimings, "\(name): word \(index) \"\(word.text)\" ends before it starts")
            }
            guard word.start >= previousStart else {
                throw VoiceError(.badTimings, "\(name): word \(index) \"\(word.text)\" starts before the word before it; sort by start")
            }
            previousStart = word.start
        }
    }
}
