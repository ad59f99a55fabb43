public import Foundation

/// Everything the composer renders, fully decided: pictures with exact frame counts, captions, sound
/// and encoding settings. Building it involves no I/O, so it is cheap to test.
public struct Timeline: Sendable, Hashable {
    /// One picture shown for a whole number of frames.
    public struct Segment: Sendable, Hashable {
        /// The picture source.
        public var visual: Visual
        /// How many output frames it fills (before transitions overlap it).
        public var frames: Int
        /// Which slow camera move a still gets; alternates so consecutive stills differ.
        public var motion: Int
        /// The index of the scene the segment belongs to.
        public var scene: Int

        /// Creates a segment.
        public init(visual: Visual, frames: Int, motion: Int, scene: Int = 0) {
            self.visual = visual
            self.frames = frames
            self.motion = motion
            self.scene = scene
        }
    }

    /// Output width in pixels.
    public var width: Int
    /// Output height in pixels.
    public var height: Int
    /// Output frame rate.
    public var fps: Int
    /// The pictures, in order; their frames add up to the video's length.
    public var segments: [Segment]
    /// The transition between segments.
    public var transition: Transition
    /// An ASS caption script to burn in, if any.
    public var captions: URL?
    /// The narration audio; padded or cut to the video's length.
    public var narration: URL
    /// Background music, if any.
    public var music: Music?
    /// The libx264 preset.
    public var preset: String
    /// The libx264 constant rate factor.
    public var crf: Int
    /// What ffprobe said about the video files, by URL; lets the composer read consecutive clips of the
    /// same codec, size and pixel format through one decoder. Empty is fine: every clip gets its own.
    public var sources: [URL: MediaInfo]

    /// Creates a timeline.
    public init(
        width: Int,
        height: Int,
        fps: Int,
        segments: [Segment],
        transition: Transition,
        captions: URL?,
        narration: URL,
        music: Music?,
        preset: String,
        crf: Int,
        sources: [URL: MediaInfo] = [:]
    ) {
        self.sources = sources
        self.width = width
        self.height = height
        self.fps = fps
        self.segments = segments
        self.transition = transition
        self.captions = captions
        self.narration = narration
        self.music = music
        self.preset = preset
        self.crf = crf
    }

    /// Total length in frames.
    public var frameCount: Int { segments.reduce(0) { $0 + $1.frames } }

    /// Total length in seconds.
    public var duration: Double { Double(frameCount) / Double(fps) }

    /// Lays out scenes of the given lengths, splitting each scene's time between its pictures.
    ///
    /// Scene boundaries are rounded to whole frames on the video's clock, so the picture changes on the
    /// frame nearest to where the narration changes scene and the total never drifts. A scene gives each
    /// picture at least two seconds; pictures that would get less are left out.
    public static func layout(
        scenes: [SceneFootage],
        sceneDurations: [Double],
        fps: Int
    ) -> [Segment] {
        var segments: [Segment] = []
        var clock = 0.0
        var stillCount = 0
        for (index, footage) in scenes.enumerated() {
            let startFrame = Int((clock * Double(fps)).rounded())
            clock += sceneDurations[index]
            let endFrame = Int((clock * Double(fps)).rounded())
            let frames = max(endFrame - startFrame, 1)
            let usable = max(1, min(footage.visuals.count, frames / (2 * fps)))
            let visuals = footage.visuals.prefix(usable)
            for (offset, visual) in visuals.enumerated() {
                let share = frames / usable + (offset < frames % usable ? 1 : 0)
                segments.append(Segment(visual: visual, frames: share, motion: stillCount, scene: index))
                if case .still = visual { stillCount += 1 }
            }
        }
        return segments
    }
}
