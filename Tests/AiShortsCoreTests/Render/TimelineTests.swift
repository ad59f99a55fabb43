import AiShortsCore
import Foundation
import Testing

private func video(_ name: String, _ duration: Double) -> Visual {
    .video(URL(fileURLWithPath: "/media/\(name).mp4"), duration: duration)
}

private func still(_ name: String) -> Visual {
    .still(URL(fileURLWithPath: "/media/\(name).jpg"))
}

private func footage(_ scene: Int, _ visuals: [Visual]) -> SceneFootage {
    SceneFootage(scene: scene, visuals: visuals, origin: "spec", note: "")
}

private func timeline(
    _ segments: [Timeline.Segment],
    fps: Int = 30,
    transition: Transition = .cut,
    captions: URL? = nil,
    music: Music? = nil,
    preset: String = "veryfast",
    crf: Int = 21
) -> Timeline {
    Timeline(
        width: 1080, height: 1920, fps: fps, segments: segments, transition: transition, captions: captions,
        narration: URL(fileURLWithPath: "/work/narration.wav"), music: music, preset: preset, crf: crf
    )
}

/// The options given just before `-i path` (back to the previous input), or nil when `path` is no input.
private func inputOptions(_ arguments: [String], for path: String) -> [String]? {
    guard let at = arguments.indices.first(where: { arguments[$0] == path && $0 > 0 && arguments[$0 - 1] == "-i" }) else { return nil }
    var begin = at - 1
    while begin > 0, arguments[begin - 1] != "-y", !(begin >= 2 && arguments[begin - 2] == "-i") {
        begin -= 1
    }
    return Array(arguments[begin..<(at - 1)])
}

/// The value after `option` in `arguments`.
private func value(after option: String, in arguments: [String]) -> String? {
    guard let at = arguments.firstIndex(of: option), at + 1 < arguments.count else { return nil }
    return arguments[at + 1]
}

/// Every number following `key=` in `text`, in order.
private func numbers(after key: String, in text: String) -> [Double] {
    text.components(separatedBy: key).dropFirst().compactMap { rest in
        Double(rest.prefix { $0.isNumber || $0 == "." })
    }
}

@Suite struct TimelineTests {
    // MARK: - Layout

    @Test(arguments: [24, 25, 30, 60])
    func totalFramesMatchTheRoundedTotalDuration(fps: Int) {
        let durations = [1.234, 2.5, 3.777, 0.9, 4.4441, 2.05]
        let scenes = durations.indices.map { footage($0, [video("s\($0)", 10)]) }
        let segments = Timeline.layout(scenes: scenes, sceneDurations: durations, fps: fps)
        let total = segments.reduce(0) { $0 + $1.frames }
        #expect(total == Int((durations.reduce(0, +) * Double(fps)).rounded()))
        #expect(segments.count == durations.count)
        #expect(segments.allSatisfy { $0.frames > 0 })
    }

    @Test func sceneBoundariesLandOnRoundedFrames() {
        let fps = 30
        let durations = [1.23, 2.5, 4.77, 2.01]
        // Two videos per long scene, so a scene can span several segments.
        let scenes = durations.indices.map { footage($0, [video("s\($0)a", 10), video("s\($0)b", 10)]) }
        let segments = Timeline.layout(scenes: scenes, sceneDurations: durations, fps: fps)
        var clock = 0.0
        var frame = 0
        var next = 0
        for (index, duration) in durations.enumerated() {
            clock += duration
            // Sum the frames of this scene's segments.
            let own = Set([video("s\(index)a", 10), video("s\(index)b", 10)])
            while next < segments.count, own.contains(segments[next].visual) {
                frame += segments[next].frames
                next += 1
            }
            #expect(frame == Int((clock * Double(fps)).rounded()), "scene \(index) ends on frame \(frame)")
        }
        #expect(next == segments.count)
        // The concrete boundaries: 36.9 → 37, 111.9 → 112, 255, 315.3 → 315; only the 4.77 s scene
        // (143 frames) has room for both of its pictures.
        #expect(segments.reduce(0) { $0 + $1.frames } == 315)
        #expect(segments.count == 5)
    }

    @Test func shortSceneWithTwoVisualsUsesOnlyTheFirst() {
        let scenes = [footage(0, [video("a", 10), still("b")])]
        let segments = Timeline.layout(scenes: scenes, sceneDurations: [3.9], fps: 30)
        #expect(segments.count == 1)
        #expect(segments.first?.visual == video("a", 10))
        #expect(segments.first?.frames == 117)
    }

    @Test func longSceneSplitsItsFramesEvenlyBetweenVisuals() {
        let scenes = [footage(0, [video("a", 10), still("b"), still("c")])]
        // 4.9 s = 147 frames: room for two pictures of at least two seconds, not three.
        let two = Timeline.layout(scenes: scenes, sceneDurations: [4.9], fps: 30)
        #expect(two.map(\.visual) == [video("a", 10), still("b")])
        #expect(two.map(\.frames) == [74, 73])
        // 6.5 s = 195 frames: all three.
        let three = Timeline.layout(scenes: scenes, sceneDurations: [6.5], fps: 30)
        #expect(three.map(\.frames) == [65, 65, 65])
        #expect(three.reduce(0) { $0 + $1.frames } == 195)
    }

    @Test func stillsAlternateTheirMotion() {
        let scenes = [footage(0, [still("a")]), footage(1, [video("v", 9)]), footage(2, [still("b")]), footage(3, [still("c")])]
        let segments = Timeline.layout(scenes: scenes, sceneDurations: [2, 2, 2, 2], fps: 30)
        let stillMotions = segments.filter { if case .still = $0.visual { true } else { false } }.map(\.motion)
        #expect(stillMotions == [0, 1, 2])
    }

    @Test func aVeryShortSceneStillGetsAFrame() {
        let segments = Timeline.layout(scenes: [footage(0, [still("a")]), footage(1, [still("b")])], sceneDurations: [0.001, 1], fps: 30)
        #expect(segments.allSatisfy { $0.frames >= 1 })
    }

    @Test func timelineDurationIsFramesOverFPS() {
        let line = timeline([Timeline.Segment(visual: still("a"), frames: 45, motion: 0), Timeline.Segment(visual: still("b"), frames: 30, motion: 1)], fps: 30)
        #expect(line.frameCount == 75)
        #expect(line.duration == 2.5)
    }

    // MARK: - Composer

    @Test func oneInputPerSegmentPlusNarration() {
        let segments = [
            Timeline.Segment(visual: video("a", 10), frames: 60, motion: 0),
            Timeline.Segment(visual: still("b"), frames: 60, motion: 0),
            Timeline.Segment(visual: .generated(seed: 3), frames: 60, motion: 1),
        ]
        let arguments = Composer(timeline: timeline(segments)).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        #expect(arguments.filter { $0 == "-i" }.count == 4)
        #expect(!arguments.contains("-stream_loop"))
        // The narration is the last input, right after the pictures.
        let inputs = arguments.indices.filter { arguments[$0] == "-i" }.map { arguments[$0 + 1] }
        #expect(inputs.count == 4)
        #expect(inputs.last == "/work/narration.wav")
        #expect(inputs.first == "/media/a.mp4")
        #expect(inputs[1] == "/media/b.jpg")
        #expect(inputs[2].hasPrefix("gradients="))
        #expect(inputOptions(arguments, for: inputs[2]) == ["-f", "lavfi"])
        let graph = value(after: "-filter_complex", in: arguments) ?? ""
        #expect(graph.contains("[3:a]"), "the narration's audio is input 3")
        for index in 0..<3 { #expect(graph.contains("[\(index):v]")) }
        #expect(arguments.first == "-hide_banner")
        #expect(value(after: "-progress", in: arguments) == "pipe:1")
    }

    @Test func musicIsALoopedExtraInputDuckedUnderTheVoice() {
        let segments = [Timeline.Segment(visual: still("a"), frames: 90, motion: 0)]
        let music = Music(file: URL(fileURLWithPath: "/media/song.mp3"), volume: 0.25)
        let arguments = Composer(timeline: timeline(segments, music: music)).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        #expect(arguments.filter { $0 == "-i" }.count == 3)
        #expect(inputOptions(arguments, for: "/media/song.mp3") == ["-stream_loop", "-1"])
        let graph = value(after: "-filter_complex", in: arguments) ?? ""
        #expect(graph.contains("sidechaincompress"))
        #expect(graph.contains("loudnorm=I=-14"))
        #expect(graph.contains("[2:a]"), "music is input 2")
        #expect(graph.contains("volume=0.25"))
        #expect(graph.contains("[aout]"))
    }

    @Test func withoutMusicThereIsNoDuckingButStillLoudnessNormalisation() {
        let segments = [Timeline.Segment(visual: still("a"), frames: 90, motion: 0)]
        let arguments = Composer(timeline: timeline(segments)).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        let graph = value(after: "-filter_complex", in: arguments) ?? ""
        #expect(!graph.contains("sidechaincompress"))
        #expect(graph.contains("loudnorm=I=-14"))
        #expect(graph.contains("[1:a]"))
    }

    @Test func videoClipsAreLoopedSlowedOrTrimmedToFitTheirSlot() throws {
        // Three 3-second slots, joined by cuts so each slot is exactly its frames.
        let segments = [
            Timeline.Segment(visual: video("short", 1.0), frames: 90, motion: 0), // < 0.7 × slot
            Timeline.Segment(visual: video("nearly", 2.4), frames: 90, motion: 0), // 0.8 × slot
            Timeline.Segment(visual: video("long", 12), frames: 90, motion: 0), // longer than the slot
        ]
        let arguments = Composer(timeline: timeline(segments)).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        let graph = value(after: "-filter_complex", in: arguments) ?? ""

        let short = try #require(inputOptions(arguments, for: "/media/short.mp4"))
        #expect(short.contains("-stream_loop"))
        #expect(value(after: "-stream_loop", in: short) == "-1")
        #expect(value(after: "-t", in: short) == "3.000")

        let nearly = try #require(inputOptions(arguments, for: "/media/nearly.mp4"))
        #expect(!nearly.contains("-stream_loop"))
        #expect(!nearly.contains("-t"))
        let factor = try #require(numbers(after: "[1:v]setpts=", in: graph).first)
        #expect(abs(factor - 3.0 / 2.4) < 1e-4)

        let long = try #require(inputOptions(arguments, for: "/media/long.mp4"))
        #expect(!long.contains("-stream_loop"))
        #expect(value(after: "-t", in: long) == "3.000")
        #expect(graph.contains("[2:v]setpts=PTS-STARTPTS,"))
        #expect(graph.contains("[0:v]setpts=PTS-STARTPTS,"))
        // Every picture ends on exactly its frame count.
        #expect(graph.components(separatedBy: "trim=end_frame=90").count - 1 == 3)
    }

    @Test func crossfadedSlotsAreLongerByTheFade() throws {
        // With a crossfade, every segment but the last is extended so the crossfade has material.
        let segments = [
            Timeline.Segment(visual: video("a", 30), frames: 60, motion: 0),
            Timeline.Segment(visual: video("b", 30), frames: 60, motion: 0),
        ]
        let arguments = Composer(timeline: timeline(segments, transition: .crossfade(seconds: 0.5))).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))
        #expect(value(after: "-t", in: try #require(inputOptions(arguments, for: "/media/a.mp4"))) == "2.500")
        #expect(value(after: "-t", in: try #require(inputOptions(arguments, for: "/media/b.mp4"))) == "2.000")
    }

    @Test func crossfadesBlendTheTailOfEachSegmentWithTheHeadOfTheNext() {
        let frames = [60, 75, 90, 51]
        let segments = frames.enumerated().map { Timeline.Segment(visual: still("s\($0.offset)"), frames: $0.element, motion: $0.offset) }
        let line = timeline(segments, transition: .crossfade(seconds: 0.35))
        let arguments = Composer(timeline: line).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        let graph = value(after: "-filter_complex", in: arguments) ?? ""
        let fade = 11  // 0.35 s at 30 fps, rounded to whole frames
        // Every segment but the last is rendered `fade` frames longer, to feed the next crossfade.
        #expect(numbers(after: "loop=loop=", in: graph) == frames.enumerated().map { Double($0.element + ($0.offset < frames.count - 1 ? fade : 0) - 1) })
        // Tails start where the segment's own time ends; heads and bodies split the next segment.
        for index in 0..<(frames.count - 1) {
            #expect(graph.contains("[t\(index)]trim=start_frame=\(frames[index]):end_frame=\(frames[index] + fade),"))
            #expect(graph.contains("[h\(index + 1)]trim=end_frame=\(fade),"))
            #expect(graph.contains("[b\(index + 1)]trim=start_frame=\(fade):end_frame=\(frames[index + 1]),"))
            #expect(graph.contains("[tail\(index)][head\(index + 1)]xfade=transition=fade:duration=0.367:offset=0,format=yuv420p[fade\(index + 1)]"))
        }
        #expect(graph.contains("[body0][fade1][body1][fade2][body2][fade3][body3]concat=n=7:v=1:a=0"))
        // Output length: body frames plus fade frames add up to the segments' own frames.
        #expect(value(after: "-t", in: Array(arguments.drop { $0 != "-map" })) == String(format: "%.3f", Double(frames.reduce(0, +)) / 30))
    }

    @Test func aCrossfadeLongerThanHalfTheShortestSegmentFallsBackToCuts() {
        let segments = [
            Timeline.Segment(visual: still("a"), frames: 60, motion: 0),
            Timeline.Segment(visual: still("b"), frames: 15, motion: 1), // 0.5 s
        ]
        let graph = value(after: "-filter_complex", in: Composer(timeline: timeline(segments, transition: .crossfade(seconds: 0.35))).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))) ?? ""
        #expect(!graph.contains("xfade"))
        #expect(graph.contains("concat=n=2"))
    }

    @Test func cutsConcatenate() {
        let segments = (0..<3).map { Timeline.Segment(visual: still("s\($0)"), frames: 45, motion: $0) }
        let arguments = Composer(timeline: timeline(segments, transition: .cut)).arguments(target: .mp4(URL(fileURLWithPath: "/out/v.mp4")))
        let graph = value(after: "-filter_complex", in: arguments) ?? ""
        #expect(graph.contains("[v0][v1][v2]concat=n=3:v=1:a=0"))
        #expect(!graph.contains("xfade"))
    }

    @Test func captionsAreBurntInByFileName() {
        let segments = (0..<2).map { Timeline.Segment(visual: still("s\($0)"), frames: 45, motion: $0) }
        let captions = URL(fileURLWithPath: "/tmp/job 1/captions.ass")
        for transition in [Transition.cut, .fade(seconds: 0.35), .crossfade(seconds: 0.35)] {
            let graph = value(after: "-filter_complex", in: Composer(timeline: timeline(segments, transition: transition, captions: captions)).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))) ?? ""
            #expect(graph.contains("ass=filename=captions.ass"))
            #expect(!graph.contains("/tmp/job 1"))
            #expect(graph.contains("captions.ass[vout]"))
        }
        let single = [Timeline.Segment(visual: still("a"), frames: 45, motion: 0)]
        let plain = value(after: "-filter_complex", in: Composer(timeline: timeline(single)).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))) ?? ""
        #expect(!plain.contains("ass="))
        #expect(plain.contains("[v0]null[vout]"))
    }

    @Test func mp4OutputUsesLibx264WithThePresetAndFaststart() {
        let segments = [Timeline.Segment(visual: still("a"), frames: 45, motion: 0)]
        let output = URL(fileURLWithPath: "/out/my short.mp4")
        let arguments = Composer(timeline: timeline(segments, preset: "slow", crf: 19)).arguments(target: .mp4(output))
        #expect(value(after: "-c:v", in: arguments) == "libx264")
        #expect(value(after: "-preset", in: arguments) == "slow")
        #expect(value(after: "-crf", in: arguments) == "19")
        #expect(value(after: "-movflags", in: arguments) == "+faststart")
        #expect(value(after: "-pix_fmt", in: arguments) == "yuv420p")
        #expect(value(after: "-c:a", in: arguments) == "aac")
        #expect(arguments.last == output.path)
        let maps = arguments.indices.filter { arguments[$0] == "-map" }.map { arguments[$0 + 1] }
        #expect(maps == ["[vout]", "[aout]"])
    }

    @Test func rawOutputIsUncompressedNUT() {
        let segments = [Timeline.Segment(visual: still("a"), frames: 45, motion: 0)]
        let arguments = Composer(timeline: timeline(segments)).arguments(target: .raw(URL(fileURLWithPath: "/out/v.nut")))
        #expect(value(after: "-c:v", in: arguments) == "rawvideo")
        #expect(value(after: "-f", in: Array(arguments.drop { $0 != "-map" })) == "nut")
        #expect(!arguments.contains("libx264"))
        #expect(arguments.last == "/out/v.nut")
    }
}

// MARK: - Dips through black and shared inputs

extension TimelineTests {
    @Test func aDipFadesEachSegmentOutAndTheNextInWithoutExtendingThem() throws {
        let frames = [60, 75, 51]
        let segments = frames.enumerated().map { Timeline.Segment(visual: still("s\($0.offset)"), frames: $0.element, motion: $0.offset) }
        let arguments = Composer(timeline: timeline(segments, transition: .fade(seconds: 0.3))).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))
        let graph = try #require(value(after: "-filter_complex", in: arguments))
        // 0.3 s at 30 fps: 5 frames out, then 5 frames in.
        #expect(graph.contains("tpad=stop_mode=clone:stop=60,trim=end_frame=60,setpts=N/30/TB,fade=t=out:s=55:n=5[v0]"))
        #expect(graph.contains("fade=t=in:s=0:n=5,fade=t=out:s=70:n=5[v1]"))
        #expect(graph.contains("trim=end_frame=51,setpts=N/30/TB,fade=t=in:s=0:n=5[v2]"))
        #expect(graph.contains("[v0][v1][v2]concat=n=3:v=1:a=0"))
        #expect(!graph.contains("xfade") && !graph.contains("split"))
        #expect(numbers(after: "loop=loop=", in: graph) == [59, 74, 50])
    }

    @Test func sameFormatClipsShareOneDecoderThroughAConcatList() throws {
        let info = MediaInfo(kind: .video, duration: 4, width: 1920, height: 1080, videoCodec: "h264", audioCodec: nil, pixelFormat: "yuv420p")
        let other = MediaInfo(kind: .video, duration: 4, width: 1280, height: 720, videoCodec: "h264", audioCodec: nil, pixelFormat: "yuv420p")
        let a = URL(fileURLWithPath: "/media/a.mp4"), b = URL(fileURLWithPath: "/media/it's b.mp4")
        let c = URL(fileURLWithPath: "/media/c.mp4"), d = URL(fileURLWithPath: "/media/d.mp4")
        let segments = [
            Timeline.Segment(visual: .video(a, duration: 4), frames: 60, motion: 0),  // 2 s of a 4 s clip: cut
            Timeline.Segment(visual: .video(b, duration: 2.7), frames: 90, motion: 0),  // 2.7 s for 3 s: slowed
            Timeline.Segment(visual: .video(c, duration: 1), frames: 75, motion: 0),  // 1 s for 2.5 s: listed 3 times
            Timeline.Segment(visual: .video(d, duration: 4), frames: 30, motion: 0),  // another size: own input
        ]
        var line = timeline(segments)
        line.sources = [a: info, b: info, c: info, d: other]
        let composer = Composer(timeline: line)
        let arguments = composer.arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))
        let files = composer.inputFiles
        #expect(files.map(\.name) == ["clips-0.ffconcat"])
        let list = try #require(files.first?.contents)
        #expect(list == """
            ffconcat version 1.0
            file '/media/a.mp4'
            outpoint 2.000
            duration 2.000
            file '/media/it'\\''s b.mp4'
            outpoint 2.700
            duration 2.700
            file '/media/c.mp4'
            outpoint 1.000
            duration 1.000
            file '/media/c.mp4'
            outpoint 1.000
            duration 1.000
            file '/media/c.mp4'
            outpoint 0.500
            duration 0.500

            """)
        #expect(arguments.filter { $0 == "-i" }.count == 3)  // the list, clip d, the narration
        #expect(inputOptions(arguments, for: "clips-0.ffconcat")?.suffix(6) == ["-threads", "2", "-f", "concat", "-safe", "0"])
        let graph = try #require(value(after: "-filter_complex", in: arguments))
        #expect(graph.contains("[0:v]crop="))
        // One branch per scene, cut where the next clip's window starts; every frame goes to one branch.
        #expect(graph.contains(",segment=timestamps=2.000|4.700[s0][s1][s2]"))
        #expect(!graph.contains("split"))
        #expect(graph.contains("[s0]setpts=PTS-STARTPTS,fps=30"))
        #expect(graph.contains("[s1]setpts=1.11111*(PTS-STARTPTS),fps=30"))
        #expect(graph.contains("[s2]setpts=PTS-STARTPTS,fps=30"))
        #expect(graph.contains("[1:v]setpts=PTS-STARTPTS,crop="))
        #expect(graph.contains("[v0][v1][v2][v3]concat=n=4"))
    }

    @Test func crossfadesKeepAnInputPerClip() {
        let info = MediaInfo(kind: .video, duration: 4, width: 1920, height: 1080, videoCodec: "h264", audioCodec: nil, pixelFormat: "yuv420p")
        let segments = (0..<2).map { Timeline.Segment(visual: video("v\($0)", 4), frames: 60, motion: 0) }
        var line = timeline(segments, transition: .crossfade(seconds: 0.3))
        line.sources = [URL(fileURLWithPath: "/media/v0.mp4"): info, URL(fileURLWithPath: "/media/v1.mp4"): info]
        let composer = Composer(timeline: line)
        #expect(composer.inputFiles.isEmpty)
        #expect(composer.arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4"))).filter { $0 == "-i" }.count == 3)
    }
}

// MARK: - Scalers

extension TimelineTests {
    @Test func eightBitFootageIsScaledByZimgWithSwscalesKernelAndTheRestBySwscale() throws {
        func info(_ format: String?) -> MediaInfo {
            MediaInfo(kind: .video, duration: 4, width: 1920, height: 1080, videoCodec: "h264", audioCodec: nil, pixelFormat: format)
        }
        let formats: [String?] = ["yuv420p", "yuvj420p", "yuv420p10le", nil]
        let urls = formats.indices.map { URL(fileURLWithPath: "/media/f\($0).mp4") }
        // Different sizes, so that every clip keeps an input of its own.
        var line = timeline(urls.map { Timeline.Segment(visual: .video($0, duration: 4), frames: 60, motion: 0) })
        for (index, url) in urls.enumerated() {
            var probed = info(formats[index])
            probed.width = 1920 - 64 * index
            line.sources[url] = probed
        }
        let graph = try #require(value(after: "-filter_complex", in: Composer(timeline: line).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))))
        let chains = graph.components(separatedBy: ";\n")
        // 8-bit 4:2:0: zimg, with swscale's bicubic (B = 0, C = 0.6), limited range, the source's matrix.
        #expect(chains[0].contains("zscale=w=1080:h=1920:filter=bicubic:param_a=0:param_b=0.6:range=limited,format=yuv420p"))
        #expect(!chains[0].contains("scale=1080:1920:flags"))
        // Full range, 10-bit and unknown: swscale, converting to limited-range BT.709.
        for chain in chains[1...3] {
            #expect(chain.contains("scale=1080:1920:flags=bicubic:out_color_matrix=bt709:out_range=tv,format=yuv420p"))
            #expect(!chain.contains("zscale"))
        }
        // An ffmpeg without zimg: swscale for everything.
        let plain = try #require(value(after: "-filter_complex", in: Composer(timeline: line, scalesWithZimg: false).arguments(target: .mp4(URL(fileURLWithPath: "/o.mp4")))))
        #expect(!plain.contains("zscale"))
    }

    @Test func debiansFfmpegHasZimg() async {
        #expect(await Composer.ffmpegHasZimg())
        #expect(await !Composer.ffmpegHasZimg(Tool(name: "ffmpeg", path: "/nonexistent/ffmpeg")))
    }
}
