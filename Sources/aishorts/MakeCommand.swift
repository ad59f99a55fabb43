import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts make --script FILE.txt`: turns plain paragraphs into a spec and renders it.
struct MakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Make a short from a plain-text script (--script), or have the LLM write it (--topic or --category)."
    )

    @Option(help: "A plain-text script: one paragraph per scene, separated by blank lines.")
    var script: String?

    @OptionGroup var brief: BriefOptions
    @OptionGroup var llm: LLMOptions

    @Option(help: "The title (default: the script's first line when it is a heading, else the file name).")
    var title: String?

    @Option(help: "Voice as engine:voice (default: the language's best installed voice, hibari:heart for English; see `aishorts voices`).")
    var voice: String?

    @OptionGroup var language: LanguageOption

    @Option(help: "Background music file.")
    var music: String?

    @Option(help: "Music volume under the voice, 0…1.")
    var musicVolume: Double = 0.2

    @Option(help: "A folder of your own videos and pictures to match to scenes (repeatable).")
    var library: [String] = []

    @Option(help: "Also save the generated spec here, to edit and render later.")
    var saveSpec: String?

    @OptionGroup var options: RenderOptions

    func run() async throws {
        let sources = [script != nil, brief.topic != nil, brief.category != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --script, --topic or --category") }
        let voiceChoice = try voice.map(Self.voiceChoice)
        let tag = try language.tag() ?? .english
        var spec: JobSpec
        var writerReport: WriterReport?
        // One pipeline (and so one model manager) for the whole run: the voice warmed up while the
        // script streams in is the one that narrates the job, loaded once.
        let pipeline = options.pipeline
        try LanguageOption.check(voice: voiceChoice, language: tag, catalog: pipeline.voices)
        if let script {
            let scriptURL = URL(fileURLWithPath: script)
            let output = URL(fileURLWithPath: options.output ?? "out/\(scriptURL.deletingPathExtension().lastPathComponent).mp4").standardizedFileURL
            spec = try Runner.orExit { try JobSpec.fromScript(at: scriptURL, title: title, output: output) }
            spec.language = tag
        } else {
            let warm = voiceChoice ?? pipeline.voices.defaultChoice(for: tag)
            let written = try await Runner.write(brief, llm: llm, language: tag, pipeline: pipeline, voice: warm)
            let output = URL(fileURLWithPath: options.output ?? "out/\(JobSpec.slug(written.spec.title)).mp4").standardizedFileURL
            spec = written.spec
            spec.output.path = output
            if let title { spec.title = title }
            writerReport = written.report
        }
        spec.voice = voiceChoice
        guard (0...1).contains(musicVolume) else { throw ValidationError("--music-volume must be between 0 and 1") }
        if let music {
            let url = URL(fileURLWithPath: music).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("--music: no such file \(music)") }
            spec.music = Music(file: url, volume: musicVolume)
        }
        for folder in library {
            guard FileManager.default.fileExists(atPath: folder) else { throw ValidationError("--library: no such folder \(folder)") }
            spec.library.append(URL(fileURLWithPath: folder).standardizedFileURL)
        }
        spec = options.apply(to: spec)
        if let saveSpec {
            try Data(spec.yaml().utf8).write(to: URL(fileURLWithPath: saveSpec), options: .atomic)
        }
        try await Runner.render(spec, options: options, pipeline: pipeline, writer: writerReport)
    }

    static func voiceChoice(_ voice: String) throws -> VoiceChoice {
        let parts = voice.split(separator: ":", maxSplits: 1).map(String.init)
        guard let engine = parts.first?.lowercased(), VoiceChoice.engines.contains(engine) else {
            throw ValidationError("--voice: unknown engine in \"\(voice)\"; available: \(VoiceChoice.engines.joined(separator: ", "))")
        }
        return VoiceChoice(engine: engine, voice: parts.count > 1 ? parts[1] : VoiceChoice.defaultVoice(for: engine))
    }
}
