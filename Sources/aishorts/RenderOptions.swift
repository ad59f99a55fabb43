import AiShortsCore
import ArgumentParser
import Foundation

/// Options shared by the commands that render a video.
struct RenderOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Where to write the MP4 (overrides the spec's output.path).")
    var output: String?

    @Option(help: "Frame shape: 9:16, 16:9 or 1:1 (overrides the spec's aspect).")
    var aspect: String?

    @Option(help: "x264 preset, ultrafast … veryslow (overrides the spec's output.preset).")
    var preset: String?

    @Flag(help: "Print the run report as JSON on stdout (progress still goes to stderr).")
    var json = false

    @Flag(help: "Keep the job's work folder (narration, captions, the ffmpeg command) and print where it is.")
    var keepWork = false

    @Flag(help: "On an ffmpeg or espeak-ng failure, also print the tool's last stderr lines.")
    var verbose = false

    @Option(help: "Cache folder (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    @OptionGroup var models: ModelOptions

    func validate() throws {
        try models.validate()
        if let aspect, Aspect(rawValue: aspect) == nil {
            throw ValidationError("--aspect must be 9:16, 16:9 or 1:1, not \"\(aspect)\"")
        }
        if let preset, !OutputSettings.presets.contains(preset) {
            throw ValidationError("--preset must be one of \(OutputSettings.presets.joined(separator: ", "))")
        }
        if let output, !output.lowercased().hasSuffix(".mp4") {
            throw ValidationError("--output must name an .mp4 file")
        }
    }

    /// The spec with the command-line overrides applied.
    func apply(to spec: JobSpec) -> JobSpec {
        var spec = spec
        if let output { spec.output.path = URL(fileURLWithPath: output).standardizedFileURL }
        if let aspect, let value = Aspect(rawValue: aspect) { spec.aspect = value }
        if let preset { spec.output.preset = preset }
        return spec
    }

    var pipeline: Pipeline {
        var pipeline = Pipeline(cache: DiskCache(root: cacheDir.map { URL(fileURLWithPath: $0) } ?? DiskCache.defaultRoot),
                                voices: VoiceCatalog(models: ModelManager(configuration: models.configuration(verbose: verbose))),
                                keepWork: keepWork)
        // One job per run: once it is narrated, the voice models are not needed again.
        pipeline.releasesModelsAfterNarration = true
        return pipeline
    }
}
