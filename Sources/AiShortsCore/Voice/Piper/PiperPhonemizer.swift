import Foundation

/// Turns text into the IPA Piper voices were trained on, with espeak-ng run as a process.
///
/// Piper phonemises with espeak-ng's IPA output (stress marks kept, one space between words) and
/// decomposes it (NFD: "ç" becomes "c" and a combining cedilla) before mapping code points to ids;
/// espeak-ng's language-switch marks such as `(fr)` are dropped. The same is done here with the
/// `espeak-ng -q --ipa` command line. Punctuation is not in that output; ``PiperNarrator`` puts it back
/// from the script, as Piper puts back each clause's terminator.
///
/// espeak-ng is GPL, so it is run, never linked; text goes through a temporary file, not stdin (an
/// unknown voice makes espeak-ng exit before reading, and writing to its pipe would raise SIGPIPE).
struct PiperPhonemizer: Sendable {
    /// The espeak-ng voice (`en-us`).
    var voice: String
    /// The espeak-ng program.
    var tool: Tool
    /// Whether IPA is decomposed (NFD) as Piper's ids expect; Kokoro's vocabulary has precomposed `ç`.
    var decomposes = true

    /// Characters taken off both ends of a word before phonemising it alone: punctuation says nothing
    /// about how the word sounds, and a trailing `?"` would make espeak-ng print an extra empty clause.
    static let edgePunctuation = Set(".,;:!?\"'()[]{}<>«»“”„‘’‚…—–-*_~/\\|".unicodeScalars)

    /// The IPA words of `sentence`, in order (each already decomposed, without language marks).
    ///
    /// - Throws: ``VoiceError`` (`engineMissing`, `unknownVoice`, `engineFailed`); `CancellationError`.
    func sentence(_ sentence: String) async throws -> [String] {
        // espeak-ng prints one line per clause; the sentence is all of them.
        try await run(sentence, linesAreClauses: false)
            .flatMap { $0.split(separator: " ").map(String.init) }
    }

    /// The IPA of each word said on its own, in one espeak-ng run: one word per line, and `-l` makes
    /// every line a clause of its own, so espeak-ng prints one line per word.
    ///
    /// A word can still come back as two lines ("foo...bar" is two clauses). When the line count does
    /// not match, the words are split in halves and each half is phonemised again, down to single
    /// words, whose lines are then all theirs; so the answer is exact at the cost of a few more runs.
    /// - Returns: per word, its IPA words separated by spaces (empty when espeak-ng says nothing).
    /// - Throws: as ``sentence(_:)``.
    func words(_ words: [String]) async throws -> [String] {
        try await phonemize(words[...])
    }

    private func phonemize(_ words: ArraySlice<String>) async throws -> [String] {
        guard !words.isEmpty else { return [] }
        let text = words.map(Self.trimmed).joined(separator: "\n")
        let lines = try await run(text, linesAreClauses: true)
        if lines.count == words.count { return lines }
        if words.count == 1 { return [lines.filter { !$0.isEmpty }.joined(separator: " ")] }
        let middle = words.startIndex + words.count / 2
        return try await phonemize(words[..<middle]) + phonemize(words[middle...])
    }

    /// `word` without the punctuation at its ends; the word itself when that would leave nothing.
    static func trimmed(_ word: String) -> String {
        let scalars = Array(word.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !edgePunctuation.contains($0) }),
              let last = scalars.lastIndex(where: { !edgePunctuation.contains($0) }) else { return word }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    /// espeak-ng's IPA lines for `text`, normalised as Piper normalises them.
    private func run(_ text: String, linesAreClauses: Bool) async throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-piper-\(UUID().uuidString).txt")
        do { try Data((text + "\n").utf8).write(to: input) } catch {
            throw VoiceError(.engineFailed, "cannot write a temporary file in \(input.deletingLastPathComponent().path); check the temporary folder")
        }
        defer { try? FileManager.default.removeItem(at: input) }
        var arguments = ["-q", "--ipa", "-v", voice]
        // A line shorter than this ends a clause; words are far shorter, sentences never get it.
        if linesAreClauses { arguments += ["-l", "100000"] }
        arguments += ["-f", input.path]
        let result: ToolResult
        do {
            result = try await ToolRunner().run(tool, arguments: arguments)
        } catch let error as ToolError {
            throw VoiceError(.engineMissing, "Piper voices need espeak-ng to phonemise text, and it could not be run (\(error.reason)); run `make bootstrap` or `apt-get install espeak-ng`")
        }
        guard result.isSuccess else {
            if result.stderrTail.joined().contains("voice does not exist") {
                throw VoiceError(.unknownVoice, "espeak-ng has no voice \"\(voice)\", which this Piper voice needs; list voices with `espeak-ng --voices`")
            }
            throw VoiceError(.engineFailed, "espeak-ng failed (\(result.status)): \(result.lastError)", stderrTail: result.stderrTail)
        }
        var lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map { Self.normalize(String($0), decomposing: decomposes) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Decomposes `ipa` (unless `decomposing` is false), drops language marks like `(fr)`, and collapses
    /// whitespace to single spaces.
    static func normalize(_ ipa: String, decomposing: Bool = true) -> String {
        var out = ""
        var depth = 0
        for character in decomposing ? ipa.decomposedStringWithCanonicalMapping : ipa {
            switch character {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            default:
                if depth == 0 { out.append(character) }
            }
        }
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
