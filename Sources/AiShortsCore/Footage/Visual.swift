public import Foundation

/// A picture source for part of a scene.
public enum Visual: Sendable, Hashable, Codable {
    /// A video file and its length in seconds.
    case video(URL, duration: Double)
    /// A still picture, shown with a slow pan and zoom.
    case still(URL)
    /// A generated moving colour background, used when nothing else fits; `seed` picks the palette.
    case generated(seed: Int)

    /// A short label for reports.
    public var label: String {
        switch self {
        case .video(let url, _): "video \(url.lastPathComponent)"
        case .still(let url): "still \(url.lastPathComponent)"
        case .generated: "generated background"
        }
    }
}

/// The pictures chosen for one scene, and how they were found.
public struct SceneFootage: Sendable, Hashable, Codable {
    /// The scene's index in the spec.
    public var scene: Int
    /// The pictures, shown in order, sharing the scene's time.
    public var visuals: [Visual]
    /// Where they came from: `spec`, `library`, or `generated`.
    public var origin: String
    /// Why, in words, for the run report.
    public var note: String
    /// The clips considered for the scene, shown ones first (empty for media the spec named).
    public var candidates: [ConsideredClip] = []

    /// Creates a scene's footage.
    public init(scene: Int, visuals: [Visual], origin: String, note: String) {
        self.scene = scene
        self.visuals = visuals
        self.origin = origin
        self.note = note
    }
}

/// What a footage source is asked for: one scene's words and search phrases.
public struct FootageRequest: Sendable, Hashable {
    /// The scene's index.
    public var scene: Int
    /// The narration text.
    public var text: String
    /// Search phrases.
    public var queries: [String]

    /// Creates a request.
    public init(scene: Int, text: String, queries: [String]) {
        self.scene = scene
        self.text = text
        self.queries = queries
    }
}

/// A file a footage source offers for a scene, with how well it fits.
public struct FootageCandidate: Sendable, Hashable {
    /// The media file.
    public var url: URL
    /// Higher is better; comparable within one source only.
    public var score: Double
    /// Why it matched, for the run report.
    public var reason: String

    /// Creates a candidate.
    public init(url: URL, score: Double, reason: String) {
        self.url = url
        self.score = score
        self.reason = reason
    }
}
