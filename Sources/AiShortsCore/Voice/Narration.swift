public import Foundation

/// One spoken word and when it is heard, in seconds from the start of its audio.
public struct TimedWord: Sendable, Hashable, Codable {
    /// The word as written in the script, punctuation included.
    public var text: String
    /// When the word starts.
    public var start: Double
    /// When the word ends.
    public var end: Double

    /// Creates a timed word.
    public init(text: String, start: Double, end: Double) {
        self.text = text
        self.start = start
        self.end = end
    }

    /// The same word moved later by `offset` seconds.
    public func shifted(by offset: Double) -> TimedWord {
        TimedWord(text: text, start: start + offset, end: end + offset)
    }
}

/// Spoken audio for one piece of text, with the time of every word.
public struct Narration: Sendable, Hashable, Codable {
    /// A 16-bit PCM WAV file.
    public var audio: URL
    /// The audio's length in seconds.
    public var duration: Double
    /// Every word, in order, with times inside `0...duration`.
    public var words: [TimedWord]

    /// Creates a narration.
    public init(audio: URL, duration: Double, words: [TimedWord]) {
        self.audio = audio
        self.duration = duration
        self.words = words
    }
}

/// A voice engine: turns text into speech with per-word timings.
///
/// Engines are values that can be shared between jobs; the pipeline caches their output by
/// ``cacheKey`` and text, so an engine must produce the same audio for the same key and text.
public protocol Narrator: Sendable {
    /// Identifies the engine, voice and settings for the narration cache (for example `espeak:en-us@1.0`).
    var cacheKey: String { get }

    /// Speaks `text` into a WAV file at `destination`.
    ///
    /// - Returns: the narration, whose words are the script's words in order.
    /// - Throws: ``VoiceError`` when the engine cannot speak the text.
    func narrate(_ text: String, to destination: URL) async throws -> Narration

    /// What the run report calls this voice (`hibari:heart`); by default the cache key.
    var label: String { get }
}

extension Narrator {
    /// The cache key, for engines that have no shorter name.
    public var label: String { cacheKey }
}

extension Narration {
    /// The script's words as a narrator reports them: whitespace-separated tokens that contain a letter or
    /// digit (punctuation-only tokens are attached to the word before them), with stretches of Chinese,
    /// Japanese and Thai, which have no spaces, split into dictionary words (see ``WordSegmenter``).
    public static func words(in text: String) -> [String] {
        WordSegmenter.words(in: text)
    }
}
