public import Foundation

/// Narrates with espeak-ng, run as a process: robotic, but always installable, so the last-resort voice.
///
/// How word timings are obtained: espeak-ng's command line reports no word positions, so every word is
/// spoken in one espeak-ng run with a long SSML `<break>` between words. Those breaks are found again in
/// the audio (silences of at least ``markerGap`` seconds), giving each word's exact samples. The final
/// narration is assembled from those word clips with natural pauses (longer after commas and full
/// stops), so each word's start and end are known exactly, by construction, not estimated. When the
/// number of sounding stretches does not match the number of words (a token espeak-ng reads as silence,
/// or splits), each word is spoken by its own espeak-ng run instead, which is exact too.
public struct EspeakNarrator: Narrator {
    /// The espeak-ng voice, such as `en-us`.
    public var voice: String
    /// Speed relative to espeak-ng's 175 words per minute.
    public var speed: Double
    /// The program to run.
    public var tool: Tool

    /// Silence inserted between words when speaking, long enough to be found again.
    static let markerGap = 0.4
    /// The shortest silence taken as a word boundary; longer than any pause inside a word.
    static let boundaryGap = 0.22

    /// Creates an espeak-ng narrator.
    public init(voice: String = "en-us", speed: Double = 1, tool: Tool = .espeak) {
        self.voice = voice
        self.speed = speed
        self.tool = tool
    }

    /// `espeak:VOICE@SPEED`.
    public var cacheKey: String { "espeak:\(voice)@\(speed)" }

    /// `espeak:VOICE`.
    public var label: String { "espeak:\(voice)" }

    private var wordsPerMinute: Int { Int((175 * speed).rounded()) }

    /// Speaks `text` into `destination`; see the type's discussion for how timings are found.
    public func narrate(_ text: String, to destination: URL) async throws -> Narration {
        let words = Narration.words(in: text)
        guard !words.isEmpty else {
            throw VoiceError(.emptyText, "a scene has no words to speak; give every scene some text")
        }
        let ssml = "<speak>" + words.map(Self.escape).joined(separator: "<break time=\"\(Int(Self.markerGap * 1000))ms\"/>") + "</speak>"
        let spoken = try await speak(ssml: ssml)
        var clips = spoken.soundingRanges(minimumGap: Self.boundaryGap).map { Array(spoken.samples[$0]) }
        if clips.count != words.count {
            clips = try await speakSeparately(words)
        }
        let (audio, timed) = Self.assemble(clips: clips, words: words, sampleRate: spoken.sampleRate)
        do {
            try audio.data.write(to: destination, options: .atomic)
        } catch {
            throw VoiceError(.engineFailed, "cannot write narration to \(destination.path): \(error.localizedDescription)")
        }
        return Narration(audio: destination, duration: audio.duration, words: timed)
    }

    private func speak(ssml: String) async throws -> WAVAudio {
        // The text goes through a file, not stdin: espeak-ng exits at once on an unknown voice, and
        // writing to the pipe of a process that is gone would raise SIGPIPE in this process.
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-\(UUID().uuidString).ssml")
        do { try Data(ssml.utf8).write(to: input) } catch {
            throw VoiceError(.engineFailed, "cannot write a temporary file in \(input.deletingLastPathComponent().path); check the temporary folder")
        }
        defer { try? FileManager.default.removeItem(at: input) }
        let result: ToolResult
        do {
            result = try await ToolRunner().run(
                tool,
                arguments: ["-m", "-f", input.path, "-v", voice, "-s", String(wordsPerMinute), "--stdout"]
            )
        } catch let error as ToolError {
            throw VoiceError(.engineMissing, "espeak-ng is not installed (\(error.reason)); run `make bootstrap` or `apt-get install espeak-ng`")
        }
        guard result.isSuccess else {
            if result.stderrTail.joined().contains("voice does not exist") {
                throw VoiceError(.unknownVoice, "espeak-ng has no voice \"\(voice)\"; list voices with `espeak-ng --voices`")
            }
            throw VoiceError(.engineFailed, "espeak-ng failed (\(result.status)): \(result.lastError)", stderrTail: result.stderrTail)
        }
        return try WAVAudio(data: result.stdout, name: "espeak-ng output")
    }

    private func speakSeparately(_ words: [String]) async throws -> [[Int16]] {
        try await withThrowingTaskGroup(of: (Int, [Int16]).self) { group in
            var clips = [[Int16]](repeating: [], count: words.count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let audio = try await speak(ssml: "<speak>\(Self.escape(words[index]))</speak>")
                    let ranges = audio.soundingRanges(minimumGap: 10)
                    guard let first = ranges.first, let last = ranges.last else { return (index, []) }
                    return (index, Array(audio.samples[first.lowerBound..<last.upperBound]))
                }
            }
            for _ in 0..<min(4, words.count) { add() }
            while let (index, clip) = try await group.next() {
                clips[index] = clip
                if next < words.count { add() }
            }
            return clips
        }
    }

    static func assemble(clips: [[Int16]], words: [String], sampleRate: Int) -> (WAVAudio, [TimedWord]) {
        var audio = WAVAudio(sampleRate: sampleRate)
        audio.appendSilence(0.08)
        var timed: [TimedWord] = []
        for (index, word) in words.enumerated() {
            let start = audio.duration
            audio.samples.append(contentsOf: clips[index])
            timed.append(TimedWord(text: word, start: start, end: max(audio.duration, start + 0.05)))
            audio.appendSilence(pause(after: word, isLast: index == words.count - 1))
        }
        return (audio, timed)
    }

    /// The pause after a word: a breath at commas, longer at the end of a sentence.
    static func pause(after word: String, isLast: Bool) -> Double {
        if isLast { return 0.3 }
        switch word.last {
        case ".", "!", "?": return 0.38
        case ",", ";", ":", "—", "-": return 0.2
        default: return 0.045
        }
    }

    static func escape(_ word: String) -> String {
        word.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
