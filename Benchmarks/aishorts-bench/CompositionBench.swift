// The composition benchmark: how close one-pass composition comes to the machine's limit.
//
// Measured in one run, alternating, on the workload of CompositionWorkload.swift: (a) the real
// composition, ffmpeg decoding, fitting, captioning, mixing and encoding in one process, the loudness
// analysis included; (b) the floor: the very same composed frames and sound, written once uncompressed
// to a RAM-backed file (/dev/shm), then encoded alone with the same preset, CRF and encoder threads
// (x264's default in both); (c) decoding alone: the composition's own video inputs, with its options,
// decoded and thrown away. The limit is (decode CPU + encode CPU) / cores: no one-pass composition on
// this machine can be faster, as it has to do both. Reported: wall times (best of N), CPU seconds
// (median of N; they are what a shared machine disturbs least), the ratios, and the peak RSS of the
// process tree during composition.
import AiShortsCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// User plus system CPU seconds of the children waited for so far (ffmpeg's, not the sampler's).
func childCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    #else
    getrusage(RUSAGE_CHILDREN, &usage)
    #endif
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// One measured step: wall seconds, CPU seconds of its processes, and the tree's peak RSS in bytes.
struct Measured {
    var wall: Double
    var cpu: Double
    var peak: Int
}

/// Runs `body` while sampling the process tree's memory and timing it.
func measured(_ body: @Sendable () async throws -> Void) async throws -> Measured {
    let monitor = ResourceMonitor()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await monitor.run() }
        await monitor.begin("run")
        let cpu = childCPUSeconds()
        let start = ContinuousClock.now
        try await body()
        let wall = (ContinuousClock.now - start).inSeconds
        let result = Measured(wall: wall, cpu: childCPUSeconds() - cpu, peak: await monitor.end("run"))
        group.cancelAll()
        return result
    }
}

/// The composition's video inputs, with their options, decoded and thrown away: what decoding alone
/// costs in this composition (the narration and music inputs left out).
func decodeOnlyArguments(_ arguments: [String], timeline: Timeline) -> [String] {
    let end = arguments.firstIndex(of: "-filter_complex") ?? arguments.count
    let sound = [timeline.narration.path] + (timeline.music.map { [$0.file.path] } ?? [])
    var inputs: [String] = []
    var pending: [String] = []
    var count = 0
    var index = arguments.firstIndex(of: "-y").map { $0 + 1 } ?? 0
    while index < end {
        let argument = arguments[index]
        if argument == "-filter_complex_threads" {
            index += 2
            continue
        }
        if argument == "-i", index + 1 < end {
            if !sound.contains(arguments[index + 1]) {
                inputs += pending + ["-i", arguments[index + 1]]
                count += 1
            }
            pending = []
            index += 2
            continue
        }
        pending.append(argument)
        index += 1
    }
    let maps = (0..<count).flatMap { ["-map", "\($0):v"] }
    return ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + inputs + maps + ["-f", "null", "-"]
}

/// The 1-minute load average, or nil where /proc/loadavg cannot be read.
func loadAverage() -> Double? {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap { Double($0.split(separator: " ").first ?? "") }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func compositionBench(root: URL, repeats: Int, printArgs: Bool) async throws {
    let workload = try await CompositionWorkload.make(root: root)
    let timeline = workload.timeline
    let scratch = workload.scratch
    defer { try? FileManager.default.removeItem(at: scratch) }
    let composer = Composer(timeline: timeline, loudnessGain: try await Composer(timeline: timeline).measureLoudnessGain())
    try composer.writeInputFiles(in: scratch)
    let decodeArguments = decodeOnlyArguments(composer.arguments(target: .mp4(URL(fileURLWithPath: "/dev/null"))), timeline: timeline)
    if printArgs {
        // The exact commands, as JSON, to reproduce or profile the composition by hand (run them in the folder printed).
        let command = composer.arguments(target: .mp4(URL(fileURLWithPath: "/tmp/bench-out.mp4")))
        print(String(decoding: try JSONEncoder().encode(["cwd": [scratch.path], "args": command, "decode": decodeArguments]), as: UTF8.self))
        exit(0)
    }
    let ram = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    let raw = ram.appendingPathComponent("aishorts-bench-\(getpid()).nut")
    defer { try? FileManager.default.removeItem(at: raw) }
    let composed = scratch.appendingPathComponent("composed.mp4")
    let floorOut = scratch.appendingPathComponent("floor.mp4")

    say(String(format: "bench: workload %.1f s video, %d words, %d clips; writing the composed frames raw to %@",
               timeline.duration, workload.words, timeline.segments.count, ram.path))
    try await FFmpegRunner().run(composer.arguments(target: .raw(raw)), duration: timeline.duration, workingDirectory: scratch) { _ in }
    let rawBytes = (try FileManager.default.attributesOfItem(atPath: raw.path)[.size] as? NSNumber)?.int64Value ?? 0

    let loadBefore = loadAverage()
    var compositions: [Measured] = []
    var analysisTimes: [Double] = []
    var floors: [Measured] = []
    var decodes: [Measured] = []
    for round in 1...repeats {
        say("bench: round \(round) of \(repeats): composing")
        // The sampler reads /proc 20 times a second while timing; its cost is far below the noise.
        let analysis = Box()
        compositions.append(try await measured { [composer] in
            // The loudness analysis is part of composing, so it is inside the timing.
            var measured = composer
            let analysisStart = ContinuousClock.now
            measured.loudnessGain = try await composer.measureLoudnessGain()
            await analysis.set((ContinuousClock.now - analysisStart).inSeconds)
            try await FFmpegRunner().run(measured.arguments(target: .mp4(composed)), duration: timeline.duration, workingDirectory: scratch) { _ in }
        })
        analysisTimes.append(await analysis.value)
        say("bench: round \(round) of \(repeats): encoding the raw frames alone (floor)")
        floors.append(try await measured {
            try await ffmpeg([
                "-i", raw.path, "-c:v", "libx264", "-preset", timeline.preset, "-crf", String(timeline.crf), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", floorOut.path,
            ])
        })
        say("bench: round \(round) of \(repeats): decoding the clips alone")
        decodes.append(try await measured {
            try await FFmpegRunner().run(decodeArguments, duration: timeline.duration, workingDirectory: scratch) { _ in }
        })
    }
    let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
    let compose = compositions.map(\.wall).min() ?? 0
    let floor = floors.map(\.wall).min() ?? 1
    let decode = decodes.map(\.wall).min() ?? 0
    let composeCPU = median(compositions.map(\.cpu))
    let floorCPU = median(floors.map(\.cpu))
    let decodeCPU = median(decodes.map(\.cpu))
    let limit = (decodeCPU + floorCPU) / cores
    let peak = Double(compositions.map(\.peak).max() ?? 0) / 1_048_576
    print("composition benchmark (\(String(format: "%.1f", timeline.duration)) s of 1080x1920 at 30 fps, x264 \(timeline.preset) crf \(timeline.crf); wall: best of \(repeats), CPU: median)")
    print(String(format: "  decoding the clips alone      : %6.2f s wall  %6.2f CPU-s", decode, decodeCPU))
    print(String(format: "  floor, encode raw frames only : %6.2f s wall  %6.2f CPU-s   (raw input %.1f GB in RAM)", floor, floorCPU, Double(rawBytes) / 1e9))
    print(String(format: "  limit, (decode + encode CPU) / %.0f cores: %6.2f s = %.2f x the floor", cores, limit, limit / floor))
    print(String(format: "  composition, one ffmpeg pass  : %6.2f s wall  %6.2f CPU-s   (of which loudness analysis, audio only: %.2f s)",
                 compose, composeCPU, analysisTimes.min() ?? 0))
    print(String(format: "  ratio composition / floor     : %6.2f   (target <= 1.22; in CPU-s %.2f)", compose / floor, composeCPU / floorCPU))
    print(String(format: "  ratio composition / limit     : %6.2f   (target <= 1.05; in CPU-s, over decode + encode: %.2f)",
                 compose / limit, composeCPU / (decodeCPU + floorCPU)))
    print(String(format: "  peak RSS, process tree        : %6.0f MB (target <= 450; the floor alone: %.0f MB)", peak, Double(floors.map(\.peak).max() ?? 0) / 1_048_576))
    print(String(format: "  realtime factor               : %6.2f x", timeline.duration / compose))
    if let before = loadBefore, let after = loadAverage() {
        // Wall times only mean something on an otherwise idle machine; CPU seconds hold up under load.
        print(String(format: "  machine load (1-min average)  : %.1f at the start, %.1f at the end, on %.0f cores", before, after, cores))
    }
}

/// A value set inside a `@Sendable` closure and read after it.
actor Box {
    var value = 0.0
    func set(_ newValue: Double) { value = newValue }
}
