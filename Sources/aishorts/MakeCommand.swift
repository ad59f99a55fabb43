import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts make --script FILE.txt`: turns plain paragraphs into a spec and renders it.
struct MakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Make a short from a plain-text script: one paragraph per scene, separated by blank lines."
    )

    @Option(help: "The script file.")
    var script: String

    @Option(help: "The title (default: the script's first line when it is a heading, else the file name).")
    var title: String?

    @Option(help: "Voice as engine:voice (default espeak:en-us).")
    var voice: String?

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
        let scriptURL = URL(fileURLWithPath: script)
        let output = URL(fileURLWithPath: options.output ?? "out/\(scriptURL.deletingPathExtension().lastPathComponent).mp4").standardizedFileURL
        var spec = try Runner.orExit { try JobSpec.fromScript(at: scriptURL, title: title, output: output) }
        if let voice {
            let parts = voice.split(separator: ":", maxSplits: 1).map(String.init)
            guard let engine = parts.first?.lowercased(), VoiceChoice.engines.contains(engine) else {
                throw ValidationError("--voice: unknown engine in \"\(voice)\"; available: \(VoiceChoice.engines.joined(separator: ", "))")
            }
            spec.voice = VoiceChoice(engine: engine, voice: parts.count > 1 ? parts[1] : "en-us")
        }
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
        try await Runner.render(spec, options: options)
    }
}
