/// Where a spec's footage may come from and how it is chosen (the spec's `footage:` section).
///
/// API keys are not part of a spec (specs are shared; keys are secrets): Pexels and Pixabay read
/// `PEXELS_API_KEY` and `PIXABAY_API_KEY` from the environment and are skipped, with a note in the
/// report, when their key is missing.
public struct FootageSettings: Sendable, Hashable, Codable {
    /// The sources a spec may name.
    public static let knownSources = ["pexels", "pixabay", "youtube", "library"]

    /// The sources searched. By default the stock sites and the library; YouTube only when named, as
    /// it is slower and its footage needs checking for rights.
    public var sources: [String]
    /// A CLIP model folder, or the name of one installed with `aishorts models add clip`; `nil` uses
    /// the installed model if there is exactly one, else the metadata text scorer.
    public var clip: String?
    /// A scene gets one shot per this many seconds of narration.
    public var shotSeconds: Double
    /// At most this many shots per scene.
    public var maxShots: Int

    /// Creates footage settings.
    public init(sources: [String] = ["pexels", "pixabay", "library"], clip: String? = nil, shotSeconds: Double = 6, maxShots: Int = 3) {
        self.sources = sources
        self.clip = clip
        self.shotSeconds = shotSeconds
        self.maxShots = maxShots
    }
}
