import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts models`: the installed models, and `models add clip PATH` to install a CLIP export.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the installed models (voices, CLIP); `models add clip|piper|kokoro PATH` installs one.",
        discussion: """
            A CLIP model lets AiShorts choose B-roll by what the pictures show; without one, footage is \
            matched by its titles, tags and descriptions. Any ONNX export of OpenAI's CLIP in the common \
            layout works, for example openai/clip-vit-base-patch32 as published by Hugging Face user Xenova \
            (`git clone https://huggingface.co/Xenova/clip-vit-base-patch32`, with git-lfs). The folder needs:
              vision_model.onnx  pixel_values [N,3,224,224] -> image_embeds [N,D]
              text_model.onnx    input_ids [N,77] (+ attention_mask) -> text_embeds
              tokenizer.json     (or OpenAI's bpe_simple_vocab_16e6.txt.gz)
              preprocessor_config.json (optional: image_mean, image_std, crop_size)
            The .onnx files may be at the top or in onnx/. Install it with
              aishorts models add clip clip-vit-base-patch32 --name vit-b-32
            It is copied to $XDG_DATA_HOME/aishorts/models/clip/NAME (~/.local/share/... by default); \
            other model folders can be listed in AISHORTS_MODELS (separated by ':').

            Voices in other languages: a Piper voice (NAME.onnx with NAME.onnx.json beside it, from \
            huggingface.co/rhasspy/piper-voices, e.g. pt/pt_BR/faber/medium) or a Kokoro voice file (a voice \
            pack .npz such as kokoro-onnx's voices-v1.0.bin, or one voice's NAME.bin from the Kokoro-82M \
            ONNX release, e.g. pf_dora.bin):
              aishorts models add piper pt_BR-faber-medium.onnx
              aishorts models add kokoro pf_dora.bin
            Then `aishorts voices --language pt` lists them. The durations output word timings need is \
            added on the way (with the checkout's .deps/venv).
            """,
        subcommands: [List.self, Add.self],
        defaultSubcommand: List.self
    )

    /// `aishorts models [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the installed models with their size.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() async throws {
            let models = ModelLocations.standard().installedModels
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(models) + Data("\n".utf8))
                return
            }
            for model in models {
                let size = String(format: "%8.1f MB", Double(model.bytes) / 1_048_576)
                print("\(model.family.padding(toLength: 9, withPad: " ", startingAt: 0)) \(model.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(size)  \(Runner.relative(model.location))")
            }
            if !models.contains(where: { $0.family == "hibari" }) { print("hibari (the default voice) is not installed: run `make bootstrap`") }
            if !models.contains(where: { $0.family == "clip" }) {
                let words = models.contains(where: { $0.family == "embedding" })
                    ? "by the meaning of its titles and tags (sentence embeddings)" : "by titles and tags; run `make bootstrap` for sentence embeddings"
                print("no CLIP model: B-roll is matched \(words); `aishorts models add --help` says how to install one")
            }
        }
    }

    /// `aishorts models add clip PATH [--name NAME]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Check a CLIP export, a Piper voice or a Kokoro voice file (or model), and install it.",
            discussion: "See `aishorts models --help` for where to get a CLIP export and the files it needs."
        )

        @Argument(help: "The kind of model: `clip` (a CLIP export's folder), `piper` (NAME.onnx with NAME.onnx.json) or `kokoro` (a voice pack .npz, a voice's NAME.bin, or kokoro-v1.0.onnx).")
        var family: String

        @Argument(help: "The export's folder, or the voice's file.", completion: .file())
        var path: String

        @Option(help: "The name to install it under (default: the folder's name).")
        var name: String?

        func run() async throws {
            if family == "piper" || family == "kokoro" {
                let installer = VoiceInstaller(root: ModelLocations.installRoot(), checkout: VoiceInstaller.runningCheckout)
                let file = URL(fileURLWithPath: path).standardizedFileURL
                let installed: URL
                do {
                    installed = family == "piper" ? try await installer.installPiper(file) : try await installer.installKokoro(file)
                } catch {
                    throw Runner.fail(error)
                }
                print("installed \(family) \(installed.lastPathComponent) in \(installed.deletingLastPathComponent().path); `aishorts voices` lists its voices")
                return
            }
            guard family == "clip" else {
                throw Runner.fail(ValidationError("unknown kind \"\(family)\"; add clip, piper or kokoro"))
            }
            let source = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
            let model = try Runner.orExit { try ClipInstaller.install(from: source, name: name, into: ModelLocations.installRoot()) }
            let bytes = ModelLocations(roots: [ModelLocations.installRoot()]).installedModels.first { $0.family == "clip" && $0.name == model.name }?.bytes ?? 0
            print("installed clip model \(model.name) (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MB) in \(model.folder.path)")
        }
    }
}
