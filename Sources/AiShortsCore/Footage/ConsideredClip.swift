public import Foundation

/// One clip the footage stage considered for a scene, for the run report: so a person can see what
/// else was found and pin another one to the scene (`media:` in the spec) when the choice was wrong.
public struct ConsideredClip: Sendable, Hashable, Codable {
    /// The clip's key (`source:id`).
    public var key: String
    /// The source that found it (`pexels`, `pixabay`, `youtube`, `library`).
    public var source: String
    /// What it is, in a few words: a library file's name, else its title or tags.
    public var label: String
    /// Its relevance to the scene (the scorer's, from its thumbnail or text and, once downloaded, its frames).
    public var score: Double
    /// Whether the scene shows it.
    public var chosen: Bool
    /// The local file a spec can name to pin it (library clips); `nil` for remote clips.
    public var media: String?
    /// Where a person can see it, when the source has a page.
    public var page: String?

    /// Creates a candidate.
    public init(key: String, source: String, label: String, score: Double, chosen: Bool, media: String? = nil, page: String? = nil) {
        self.key = key
        self.source = source
        self.label = label
        self.score = score
        self.chosen = chosen
        self.media = media
        self.page = page
    }

    /// How many candidates a scene's report lists (the chosen ones, then the best of the rest).
    public static let perScene = 6

    /// A clip's label: a library file's name (what the person called it), else the start of the
    /// source's title and tags, else the media's file name.
    static func label(for clip: FootageClip) -> String {
        if clip.source == "library" { return clip.media.lastPathComponent }
        let words = clip.text.split(whereSeparator: \.isWhitespace).prefix(8).joined(separator: " ")
        return words.isEmpty ? clip.media.lastPathComponent : words
    }
}

extension FootageStage.Work {
    /// The candidates of `scene` with a score, the shown ones first, then the best of the rest.
    func consideredClips(for scene: Int) -> [ConsideredClip] {
        let shown = Set(slots.indices.filter { slots[$0].scene == scene }.compactMap { assignment[$0] }.map { options[$0].key })
        var scored: [(key: String, score: Double)] = []
        for key in order {
            let score = options.first { $0.key == key }.map { optionScore($0, scene: scene) } ?? self.score(of: key, scene: scene)
            if score.isFinite { scored.append((key, score)) }
        }
        scored.sort { ($0.score, $1.key) > ($1.score, $0.key) }
        let chosen = scored.filter { shown.contains($0.key) }
        let rest = scored.filter { !shown.contains($0.key) }.prefix(max(0, ConsideredClip.perScene - chosen.count))
        return (chosen + rest).compactMap { item in
            guard let clip = candidates[item.key]?.clip else { return nil }
            return ConsideredClip(
                key: item.key, source: clip.source, label: ConsideredClip.label(for: clip), score: item.score,
                chosen: shown.contains(item.key), media: clip.source == "library" && clip.media.isFileURL ? clip.media.path : nil,
                page: clip.pageURL?.absoluteString
            )
        }
    }
}
