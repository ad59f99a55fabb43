// `make bench`: how close one-pass composition comes to the cost of encoding alone, then the voice
// benchmark (VoiceBench.swift), the footage benchmark (FootageBench.swift) and the relevance benchmark
// (RelevanceBench.swift) and the server benchmark (ServerBench.swift). `--voice-only`, `--footage-only`,
// `--relevance-only`, `--server-only` and `--composition-only`
// run one of them.
//
// Workload (made once by ffmpeg into .deps/bench-v3): five 8 s 1920x1080 30 fps H.264 clips with moving,
// detailed content, cropped to 9:16; a ~35 s espeak-ng narration of ~90 words with exact word timings;
// karaoke captions; a music bed ducked under the voice; dips through black between scenes (the default).
// Measured in one run, alternating: (a) the real composition, ffmpeg decoding, fitting, captioning,
// mixing and encoding in one process; (b) the floor: the very same composed frames and sound, written
// once uncompressed to a RAM-backed file (/dev/shm), then encoded alone with the same preset, CRF and
// encoder threads (x264's default in both). Reported: both wall times (best of N), their ratio, and
// the peak RSS of the process tree during composition.
import AiShortsCore
import Foundation

let arguments = CommandLine.arguments
let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 2
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let workload = root.appendingPathComponent(".deps/bench-v3")
let preset = "veryfast"
let crf = 21

func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func ffmpeg(_ args: [String]) async throws {
    let result = try await ToolRunner().run(.ffmpeg, arguments: ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + args)
    guard result.isSuccess else { throw RenderError(.ffmpegFailed, "ffmpeg failed: \(result.lastError)") }
}

/// Runs `body` while sampling the process tree's memory; returns its result and the peak in bytes.
func peakMemory<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> (T, Int) {
    let monitor = ResourceMonitor()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await monitor.run() }
        await monitor.begin("run")
        let value = try await body()
        let peak = await monitor.end("run")
        group.cancelAll()
        return (value, peak)
    }
}

// real footage does.
let sources = [
    "testsrc2=s=1920x1080:r=30,noise=alls=8:allf=u",
    "mandelbrot=s=1920x1080:r=30:start_scale=2:end_scale=0.05",
    "life=s=480x270:r=30:mold=10:ratio=0.12:death_color=#1f3d7a:life_color=#f2c14e,scale=1920:1080:flags=neighbor",
    "cellauto=s=1920x1080:r=30:rule=110:scroll=1,hue=H=t/2:s=2",
    "gradients=s=1920x1080:r=30:n=5:speed=0.05,drawgrid=w=96:h=96:t=3:c=white@0.4,noise=alls=6:allf=u",
]

let text = """
    Every second, the Sun turns four million tons of matter into pure energy, and that light takes eight minutes to reach us.
    Jupiter is so large that more than a thousand Earths could fit inside it, yet it spins once in under ten hours.
    On Venus, a single day lasts longer than its whole year, because the planet turns so slowly.
    Saturn's rings are mostly water ice, some pieces as small as dust and others as big as houses.
    Somewhere out there, light from the earliest galaxies is still travelling toward us. Follow for more!
    """

// The voice benchmark loads ONNX Runtime and models into this process, which the composition's
// process-tree memory figure would then include; so it runs after the composition, or alone.
if arguments.contains("--voice-only") {
    try await voiceBench(root: root, repeats: max(repeats, 3))
    exit(0)
}
if arguments.contains("--footage-only") {
    try await footageBench(root: root)
    exit(0)
}
if arguments.contains("--relevance-only") {
    try await relevanceBench(root: root)
    exit(0)
}
if arguments.contains("--server-only") {
    try await serverBench(root: root)
    exit(0)
}

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
defer { try? FileManager.default.removeItem(at: scratch) }
let paragraphs = text.split(separator: "\n").map(String.init)
var sceneDurations: [Double] = []
var words: [TimedWord] = []
var joined = WAVAudio(sampleRate: 22050)
for paragraph in paragraphs {
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
try Data(ASSSubtitles.script(lines: CaptionLine.group(words, maxWords: 3, maxCharacters: style.maxCharacters), style: style, width: 1080, height: 1920).utf8).write(to: captions)

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
let composer = Composer(timeline: timeline, loudnessGain: try await Composer(timeline: timeline).measureLoudnessGain())
try composer.writeInputFiles(in: scratch)
if arguments.contains("--print-args") {
    // The exact command, as JSON, to reproduce or profile the composition by hand (run it in the folder printed).
    let command = composer.arguments(target: .mp4(URL(fileURLWithPath: "/tmp/bench-out.mp4")))
    print(String(decoding: try JSONEncoder().encode(["cwd": [scratch.path], "args": command]), as: UTF8.self))
    exit(0)
}
let ram = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
let raw = ram.appendingPathComponent("aishorts-bench-\(getpid()).nut")
defer { try? FileManager.default.removeItem(at: raw) }
let composed = scratch.appendingPathComponent("composed.mp4")
let floorOut = scratch.appendingPathComponent("floor.mp4")

say(String(format: "bench: workload %.1f s video, %d words, %d clips; writing the composed frames raw to %@", timeline.duration, words.count, clips.count, ram.path))
try await FFmpegRunner().run(composer.arguments(target: .raw(raw)), duration: timeline.duration, workingDirectory: scratch) { _ in }
let rawBytes = (try FileManager.default.attributesOfItem(atPath: raw.path)[.size] as? NSNumber)?.int64Value ?? 0

var composeTimes: [Double] = []
var analysisTimes: [Double] = []
var floorTimes: [Double] = []
var peak = 0
var floorPeak = 0
for round in 1...repeats {
    say("bench: round \(round) of \(repeats): composing")
    // The sampler reads /proc 20 times a second while timing; its cost is far below the noise.
    let start = ContinuousClock.now
    let (analysis, memory) = try await peakMemory { [composer] in
        // The loudness analysis is part of composing, so it is inside the timing.
        var measured = composer
        let analysisStart = ContinuousClock.now
        measured.loudnessGain = try await composer.measureLoudnessGain()
        let analysis = ContinuousClock.now - analysisStart
        try await FFmpegRunner().run(measured.arguments(target: .mp4(composed)), duration: timeline.duration, workingDirectory: scratch) { _ in }
        return analysis.inSeconds
    }
    analysisTimes.append(analysis)
    let elapsed = ContinuousClock.now - start
    composeTimes.append(elapsed.inSeconds)
    peak = max(peak, memory)
    say("bench: round \(round) of \(repeats): encoding the raw frames alone (floor)")
    let floorStart = ContinuousClock.now
    let (_, floorMemory) = try await peakMemory {
        try await ffmpeg([
            "-i", raw.path, "-c:v", "libx264", "-preset", preset, "-crf", String(crf), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", floorOut.path,
        ])
    }
    let floorElapsed = ContinuousClock.now - floorStart
    floorTimes.append(floorElapsed.inSeconds)
    floorPeak = max(floorPeak, floorMemory)
}
let compose = composeTimes.min() ?? 0
let floor = floorTimes.min() ?? 1
let ratio = compose / floor
let mb = Double(peak) / 1_048_576
print("composition benchmark (\(String(format: "%.1f", timeline.duration)) s of 1080x1920 at 30 fps, x264 \(preset) crf \(crf), best of \(repeats))")
print(String(format: "  composition, one ffmpeg pass : %6.2f s   (of which loudness analysis, audio only: %.2f s)", compose, analysisTimes.min() ?? 0))
print(String(format: "  floor, encode raw frames only : %6.2f s   (raw input %.1f GB in RAM)", floor, Double(rawBytes) / 1e9))
print(String(format: "  ratio composition / floor     : %6.2f   (target <= 1.35)", ratio))
print(String(format: "  peak RSS, process tree        : %6.0f MB (target <= 450; the floor alone: %.0f MB)", mb, Double(floorPeak) / 1_048_576))
print(String(format: "  realtime factor               : %6.2f x", timeline.duration / compose))

if !arguments.contains("--composition-only") {
    print("")
    try await voiceBench(root: root, repeats: max(repeats, 3))
}
if !arguments.contains("--composition-only") {
    print("")
    try await footageBench(root: root)
}
if !arguments.contains("--composition-only") {
    print("")
    try await relevanceBench(root: root)
}
if !arguments.contains("--composition-only") {
    print("")
    try await serverBench(root: root)
}
