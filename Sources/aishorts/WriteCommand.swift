import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts write --topic …`: writes a job spec with the language model, without rendering.
struct WriteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write a job spec (YAML) from a topic or a category with the configured LLM, to edit and render later."
    )

    @OptionGroup var brief: BriefOptions
    @OptionGroup var llm: LLMOptions
    @OptionGroup var language: LanguageOption

    @Option(name: .shortAndLong, help: "Where to write the spec (default: <title>.yaml in the current folder).")
    var output: String?

    @Option(help: "Cache folder (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    func run() async throws {
        let cache = DiskCache(root: cacheDir.map { URL(fileURLWithPath: $0) } ?? DiskCache.defaultRoot)
        let written = try await Runner.write(brief, llm: llm, language: try language.tag() ?? .english,
                                              pipeline: Pipeline(cache: cache), voice: nil)
        let path = URL(fileURLWithPath: output ?? "\(JobSpec.slug(written.spec.title)).yaml").standardizedFileURL
        var spec = written.spec
        spec.output.path = path.deletingPathExtension().appendingPathExtension("mp4")
        do {
            try Data(spec.yaml().utf8).write(to: path, options: .atomic)
        } catch {
            throw Runner.fail(RenderError(.outputNotWritable, "cannot write the spec to \(path.path); choose another path with --output"))
        }
        print("spec:   \(Runner.relative(path.path)) (\(written.script.scenes.count) scenes, \(written.script.spokenWords) words)")
        print("title:  \(spec.title)")
        print("render: aishorts render \(Runner.relative(path.path))")
    }
}
