// The composition benchmark's workload, made once by ffmpeg into .deps/bench-v3 and reused: five 8 s
// 1920x1080 30 fps H.264 clips with moving, detailed content (cropped to 9:16 by the composer); a ~35 s
// espeak-ng narration of ~90 words with exact word timings (cached); karaoke captions; a music bed
// ducked under the voice; dips through black between scenes (the default transition).
import AiShortsCore
import Foundation

/// What the composition benchmark renders: the timeline and the folder its relative files are in.
struct CompositionWorkload {
    /// The timeline, as the pipeline would build it for this short.
    var timeline: Timeline
    /// The scratch folder with the narration and captions; ffmpeg's working directory.
    var scratch: URL
    /// How many narrated words the captions show.
    var words: Int

    static let preset = "veryfast"
    static let crf = 21

    // Sources with detail and motion everywhere, so that decoding and encoding cost what
    // real footage does.
    static let sources = [
        "testsrc2=s=1920x1080:r=30,noise=alls=8:allf=u",
        "mandelbrot=s=1920x1080:r=30:start_scale=2:end_scale=0.05",
        "life=s=480x270:r=30:mold=10:ratio=0.12:death_color=#1f3d7a:life_color=#f2c14e,scale=1920:1080:flags=neighbor",
        "cellauto=s=1920x1080:r=30:rule=110:scroll=1,hue=H=t/2:s=2",
        "gradients=s=1920x1080:r=30:n=5:speed=0.05,drawgrid=w=96:h=96:t=3:c=white@0.4,noise=alls=6:allf=u",
    ]

    static let text = """
        Every second, the Sun turns four million tons of matter into pure energy, and that light takes eight minutes to reach us.
        Jupiter is so large that more than a thousand Earths could fit inside it, yet it spins once in under ten hours.
        On Venus, a single day lasts longer than its whole year, because the planet turns so slowly.
        Saturn's rings are mostly water ice, some pieces as small as dust and others as big as houses.
        Somewhere out there, light from the earliest galaxies is still travelling toward us. Follow for more!
        """

    /// Makes what is missing of the workload under `root/.deps/bench-v3` and lays out the timeline.
    static func make(root: URL) async throws -> CompositionWorkload {
        let workload = root.appendingPathComponent(".deps/bench-v3")
        try FileManager.default.createDirectory(at: workload, withIntermediateDirectories: true)
        var clips: [URL] = []
        for (index, source) in sources.enumerated() {
            let clip = workload.appendingPathComponent("clip\(index + 1).mp4")
            if !FileManager.default.fileExists(atPath: clip.path) {
                say("bench: making clip \(index + 1) of \(sources.count) (8 s 1920x1080, once)")
                let partial = workload.appendingPathComponent("partial.mp4")
                try await ffmpeg(["-f", "lavfi", "-i", source, "-t", "8", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                    // Tagged as HD video from a camera or a stock site is.
                    "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", partial.path])
                try FileManager.default.moveItem(at: partial, to: clip)
            }
            clips.append(clip)
        }
        let music = workload.appendingPathComponent("music.m4a")
        if !FileManager.default.fileExists(atPath: music.path) {
            let partial = workload.appendingPathComponent("partial.m4a")
            try await ffmpeg(["-f", "lavfi", "-i", "aevalsrc=0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.25*t))+0.15*sin(2*PI*330*t):s=48000:d=20", "-ac", "2", "-c:a", "aac", partial.path])
            try FileManager.default.moveItem(at: partial, to: music)
        }

        say("bench: narrating (\(Narration.words(in: text).count) words, cached after the first run)")
        let cache = DiskCache(root: workload.appendingPathComponent("cache"))
        let scratch = try cache.scratchDirectory()
        var sceneDurations: [Double] = []
        var words: [TimedWord] = []
        var joined = WAVAudio(sampleRate: 22050)
        for paragraph in text.split(separator: "\n").map(String.init) {
            let key = DiskCache.key(["bench-narration", paragraph])
            let wav = cache.url(namespace: "narration", key: key, extension: "wav")
            var narration: Narration
            if let data = cache.data(namespace: "narration", key: key, extension: "json"),
                let cached = try? JSONDecoder().decode([TimedWord].self, from: data)
            {
                narration = Narration(audio: wav, duration: try WAVAudio(contentsOf: wav).duration, words: cached)
            } else {
                narration = try await EspeakNarrator().narrate(paragraph, to: scratch.appendingPathComponent("n.wav"))
                try cache.adopt(narration.audio, namespace: "narration", key: key, extension: "wav")
                try cache.store(try JSONEncoder().encode(narration.words), namespace: "narration", key: key, extension: "json")
            }
            let audio = try WAVAudio(contentsOf: wav)
            words += narration.words.map { $0.shifted(by: joined.duration) }
            joined.samples += audio.samples
            joined.sampleRate = audio.sampleRate
            sceneDurations.append(audio.duration)
        }
        let narrationFile = scratch.appendingPathComponent("narration.wav")
        try joined.data.write(to: narrationFile)
        let style = CaptionStyle(width: 1080, height: 1920)
        let captions = scratch.appendingPathComponent("captions.ass")
        let lines = CaptionLine.group(words, maxWords: 3, maxCharacters: style.maxCharacters)
        try Data(ASSSubtitles.script(lines: lines, style: style, width: 1080, height: 1920).utf8).write(to: captions)

        var clipInfo: [URL: MediaInfo] = [:]
        for clip in clips {
            if case .readable(let info) = try await MediaProbe().probe(clip) { clipInfo[clip] = info }
        }
        let footage = clips.enumerated().map { SceneFootage(scene: $0.offset, visuals: [.video($0.element, duration: 8)], origin: "spec", note: "") }
        let timeline = Timeline(
            width: 1080, height: 1920, fps: 30,
            segments: Timeline.layout(scenes: footage, sceneDurations: sceneDurations, fps: 30),
            transition: .standard, captions: captions, narration: narrationFile,
            music: Music(file: music, volume: 0.25), preset: preset, crf: crf, sources: clipInfo
        )
        return CompositionWorkload(timeline: timeline, scratch: scratch, words: words.count)
    }
}
