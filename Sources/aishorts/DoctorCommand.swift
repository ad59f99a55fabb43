import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts doctor`: what is installed and whether the configured LLM answers.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the tools AiShorts needs and whether the configured LLM provider answers."
    )

    @OptionGroup var llm: LLMOptions

    func run() async throws {
        var healthy = true
        for tool in [Tool.ffmpeg, .ffprobe, .espeak] {
            do {
                print("ok    \(tool.name): \(try tool.resolved())")
            } catch {
                healthy = false
                print("FAIL  \(tool.name): not installed; run `make bootstrap` or `apt-get install \(tool.name == "ffprobe" ? "ffmpeg" : tool.name)`")
            }
        }
        print("ok    onnxruntime: \(OnnxRuntime.version) (linked from .deps/onnxruntime/lib)")
        let locations = ModelLocations.standard()
        if let hibari = locations.hibari {
            print("ok    voice hibari:heart: \(hibari.path)")
        } else {
            print("--    voice hibari:heart: not installed; run `make bootstrap` (espeak-ng speaks instead)")
        }
        let settings = try llm.settings()
        let name = "llm (\(settings.provider.rawValue), model \(settings.model), \(settings.baseURL ?? "no base URL"))"
        if !settings.isConfigured {
            print("--    \(name): \(LLMSettings.notConfigured.message)")
        } else {
            switch await ProviderCheck(settings: settings).run() {
            case .success(let models): print("ok    \(name): answers (\(models) models listed)")
            case .failure(let error):
                healthy = false
                print("FAIL  \(name): \(error)")
            }
        }
        if !healthy { throw ExitCode(1) }
    }
}
