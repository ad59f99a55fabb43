// `make bench`: how close one-pass composition comes to the machine's limit (CompositionBench.swift),
// then the voice benchmarks (VoiceBench.swift: hibari against its Python package, then each engine and
// language: hibari, Kokoro, Piper, espeak-ng), the footage benchmark (FootageBench.swift) and the
// relevance benchmark (RelevanceBench.swift), the server benchmark (ServerBench.swift) and the queue
// benchmark (QueueBench.swift), then the workers benchmark (WorkersBench.swift). `--voice-only`,
// `--voice-languages-only`, `--footage-only`, `--relevance-only`, `--server-only`, `--queue-only`,
// `--workers-only` and `--composition-only` run one of them; `--repeat N` sets the rounds; `--print-args` prints the
// composition's ffmpeg command (and the decode-only one) as JSON and stops.
import AiShortsCore
import Foundation

let arguments = CommandLine.arguments
let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 2
let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func ffmpeg(_ args: [String]) async throws {
    let result = try await ToolRunner().run(.ffmpeg, arguments: ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + args)
    guard result.isSuccess else { throw RenderError(.ffmpegFailed, "ffmpeg failed: \(result.lastError)") }
}

// The voice benchmark loads ONNX Runtime and models into this process, which the composition's
// process-tree memory figure would then include; so it runs after the composition, or alone.
if let index = arguments.firstIndex(of: "--voice-language-run"), arguments.count > index + 3 {
    // One engine of the languages benchmark, in a process of its own (VoiceBench.swift starts it).
    try await languageVoiceRun(voice: arguments[index + 1], text: arguments[index + 2], repeats: Int(arguments[index + 3]) ?? 1, root: root)
    exit(0)
}
if arguments.contains("--voice-languages-only") {
    try await languageVoiceBench(repeats: repeats)
    exit(0)
}
if arguments.contains("--voice-only") {
    try await voiceBench(root: root, repeats: max(repeats, 3))
    print("")
    try await languageVoiceBench(repeats: repeats)
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
if let index = arguments.firstIndex(of: "--queue-worker"), arguments.count > index + 3 {
    // A worker process of the queue benchmark (QueueBench.swift starts it).
    try await queueWorkerMain(engine: arguments[index + 1], target: arguments[index + 2], name: arguments[index + 3])
    exit(0)
}
let queueJobs = arguments.firstIndex(of: "--queue-jobs").flatMap { Int(arguments[$0 + 1]) } ?? 10_000
if arguments.contains("--queue-only") {
    try await queueBench(count: queueJobs)
    exit(0)
}
if arguments.contains("--workers-only") {
    try await workersBench(root: root)
    exit(0)
}
if arguments.contains("--server-only") {
    try await serverBench(root: root)
    exit(0)
}

try await compositionBench(root: root, repeats: repeats, printArgs: arguments.contains("--print-args"))

if !arguments.contains("--composition-only") {
    print("")
    try await voiceBench(root: root, repeats: max(repeats, 3))
    print("")
    try await languageVoiceBench(repeats: repeats)
    print("")
    try await footageBench(root: root)
    print("")
    try await relevanceBench(root: root)
    print("")
    try await serverBench(root: root)
    print("")
    try await queueBench(count: queueJobs)
    print("")
    try await workersBench(root: root)
}
