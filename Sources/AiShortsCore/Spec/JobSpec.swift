public import Foundation

/// Everything needed to make one short: the words, the pictures, the sound and the output settings.
///
/// A spec is a value: the pipeline never mutates it, so two jobs made from the same spec render the
/// same video. Paths are absolute once a spec is loaded (relative ones are resolved against the spec
/// file's folder by ``JobSpec/load(from:)``).
public struct JobSpec: Sendable, Hashable, Codable {
    /// The short's title, used in the report and for the default output file name.
    public var title: String
    /// The frame shape.
    public var aspect: Aspect
    /// The language the short is written, spoken and captioned in (default `en-US`).
    public var language: LanguageTag = .english
    /// Which engine speaks the scenes, unless ``voiceover`` is given; `nil` means the language's
    /// default voice (``VoiceCatalog/defaultChoice(for:)``), chosen when the job runs.
    public var voice: VoiceChoice?
    /// A recorded narration with its word timings, used instead of ``voice``.
    public var voiceover: Voiceover?
    /// Background music, looped to length and ducked under the voice.
    public var music: Music?
    /// The scenes, in order; each lasts as long as its narration.
    public var scenes: [Scene]
    /// Folders of the user's own footage, searched by file name and sidecar tags.
    public var library: [URL]
    /// Where unnamed footage is searched and how it is ranked.
    public var footage: FootageSettings = FootageSettings()
    /// Caption settings.
    public var captions: CaptionSettings
    /// The transition between scenes.
    public var transition: Transition
    /// Where and how the video is encoded.
    public var output: OutputSettings

    /// Creates a spec; every setting but the title and the scenes has a sensible default.
    public init(
        title: String,
        aspect: Aspect = .portrait,
        language: LanguageTag = .english,
        voice: VoiceChoice? = nil,
        voiceover: Voiceover? = nil,
        music: Music? = nil,
        scenes: [Scene],
        library: [URL] = [],
        footage: FootageSettings = FootageSettings(),
        captions: CaptionSettings = CaptionSettings(),
        transition: Transition = .standard,
        output: OutputSettings
    ) {
        self.title = title
        self.aspect = aspect
        self.language = language
        self.voice = voice
        self.voiceover = voiceover
        self.music = music
        self.scenes = scenes
        self.library = library
        self.footage = footage
        self.captions = captions
        self.transition = transition
        self.output = output
    }
}

/// One scene: a stretch of narration and the pictures shown while it is spoken.
public struct Scene: Sendable, Hashable, Codable {
    /// The narration text.
    public var text: String
    /// Files or folders (videos or stills) to show, in order. Empty means "find some".
    public var media: [URL]
    /// Search phrases for footage sources, in English (what stock sites index); also matched
    /// against the local library.
    public var queries: [String]
    /// The same phrases in the short's language, searched on YouTube only (spec field `local_queries`).
    public var localQueries: [String] = []

    /// Creates a scene.
    public init(text: String, media: [URL] = [], queries: [String] = [], localQueries: [String] = []) {
        self.text = text
        self.media = media
        self.queries = queries
        self.localQueries = localQueries
    }
}

/// The engine and voice that narrate, written `engine:voice` in a spec (`espeak:en-us`).
public struct VoiceChoice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The engine name, such as `espeak`.
    public var engine: String
    /// The engine's voice name, such as `en-us`.
    public var voice: String
    /// Speaking speed relative to the engine's normal rate (1 = normal).
    public var speed: Double

    /// Creates a voice choice.
    public init(engine: String, voice: String, speed: Double = 1) {
        self.engine = engine
        self.voice = voice
        self.speed = speed
    }

    /// The voice used when a spec names none: hibari's heart. When hibari is not installed, the
    /// catalog narrates this choice with espeak-ng instead and says so in the report.
    public static let `default` = VoiceChoice(engine: "hibari", voice: "heart")

    /// `engine:voice`.
    public var description: String { "\(engine):\(voice)" }
}

/// A recorded narration and its word timings.
public struct Voiceover: Sendable, Hashable, Codable {
    /// The audio file.
    public var audio: URL
    /// Word timings: a JSON array of `{word, start, end}` or an `.srt` file.
    public var words: URL

    /// Creates a voiceover.
    public init(audio: URL, words: URL) {
        self.audio = audio
        self.words = words
    }
}

/// Background music.
public struct Music: Sendable, Hashable, Codable {
    /// The audio file; looped when shorter than the video.
    public var file: URL
    /// Linear gain applied before ducking (0…1).
    public var volume: Double

    /// Creates a music track.
    public init(file: URL, volume: Double = 0.2) {
        self.file = file
        self.volume = volume
    }
}

/// How scenes change.
public enum Transition: Sendable, Hashable, Codable {
    /// A hard cut.
    case cut
    /// A quick dip through black of the given total length: the old picture fades out over the first
    /// half, the new one fades in over the second. Costs almost nothing to render.
    case fade(seconds: Double)
    /// A crossfade (ffmpeg's `xfade`) of the given length: smoother, but each crossfade holds extra
    /// frames in 4:4:4, about 35–85 MB more peak memory per transition.
    case crossfade(seconds: Double)

    /// The transition used when a spec names none.
    public static let standard = Transition.fade(seconds: 0.3)
}

/// Caption settings.
public struct CaptionSettings: Sendable, Hashable, Codable {
    /// Whether captions are burnt in.
    public var enabled: Bool
    /// The most words on one caption line (2–4).
    public var maxWordsPerLine: Int
    /// The font family, as fontconfig names it.
    public var font: String

    /// Creates caption settings.
    public init(enabled: Bool = true, maxWordsPerLine: Int = 3, font: String = "Open Sans") {
        self.enabled = enabled
        self.maxWordsPerLine = maxWordsPerLine
        self.font = font
    }
}

/// Where the video goes and how it is encoded.
public struct OutputSettings: Sendable, Hashable, Codable {
    /// The MP4 file to write.
    public var path: URL
    /// The libx264 preset (`ultrafast` … `veryslow`).
    public var preset: String
    /// Frames per second.
    public var fps: Int
    /// The libx264 constant rate factor (lower is better and bigger).
    public var crf: Int

    /// The presets libx264 accepts.
    public static let presets = [
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
    ]

    /// Creates output settings.
    public init(path: URL, preset: String = "veryfast", fps: Int = 30, crf: Int = 21) {
        self.path = path
        self.preset = preset
        self.fps = fps
        self.crf = crf
    }
}
