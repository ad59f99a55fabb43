public import Foundation

/// A picture whose fit to words is scored: an image file, or one frame of a video.
public enum RelevancePicture: Sendable, Hashable, Codable {
    /// An image file (a thumbnail, a still).
    case image(URL)
    /// The frame of a video file at a time in seconds.
    case frame(URL, at: Double)
}

/// One candidate to score: its pictures and its words (title, tags, description).
public struct RelevanceCandidate: Sendable, Hashable {
    /// Pictures of the candidate; a picture-based scorer takes the best of them.
    public var pictures: [RelevancePicture]
    /// Its words; a text-based scorer uses these.
    public var text: String

    /// Creates a candidate.
    public init(pictures: [RelevancePicture], text: String) {
        self.pictures = pictures
        self.text = text
    }
}

/// Scores how well candidates fit a scene's words, so the best footage can be chosen before downloading.
///
/// Scores are comparable within one scorer only; ``threshold`` says what counts as relevant enough.
public protocol RelevanceScorer: Sendable {
    /// The scorer's name in reports (`clip (ViT-B-32)`, `metadata`).
    var name: String { get }
    /// Below this a candidate is not relevant enough for a scene.
    var threshold: Double { get }
    /// Whether the scorer looks at pictures (then downloaded clips are re-scored on their own frames);
    /// a text scorer only reads ``RelevanceCandidate/text``.
    var judgesPictures: Bool { get }

    /// Starts the work for pictures that will be scored soon (decoding, embedding, caching), so it
    /// overlaps with slower work such as paced searches. Never throws: a failure here is met again,
    /// and reported, when the pictures are scored.
    func prepare(_ pictures: [RelevancePicture]) async

    /// Which of `pictures` are already prepared (embedded and stored), so scoring them costs no decoding
    /// or model run. Never throws: an unreadable picture is simply not prepared.
    func prepared(_ pictures: [RelevancePicture]) async -> Set<RelevancePicture>

    /// `result[t][c]`: how well candidate `c` fits text `t`; higher is better.
    /// - Throws: the scorer's own error type (a broken model, an unreadable picture is skipped, not thrown).
    func scores(texts: [String], candidates: [RelevanceCandidate]) async throws -> [[Double]]
}

extension RelevanceScorer {
    /// Text scorers by default.
    public var judgesPictures: Bool { false }

    /// Nothing to prepare by default.
    public func prepare(_ pictures: [RelevancePicture]) async {}

    /// None by default.
    public func prepared(_ pictures: [RelevancePicture]) async -> Set<RelevancePicture> { [] }
}
