import AiShortsCore
import ArgumentParser
import Foundation

/// Options that choose and tune the language model that writes scripts.
struct LLMOptions: ParsableArguments {
    @Option(help: "LLM provider: openrouter (default), openai, ollama or custom.")
    var provider: String?

    @Option(help: "An OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (implies --provider custom unless given).")
    var baseURL: String?

    @Option(help: "The model, as the provider names it.")
    var model: String?

    @Option(help: "Sampling temperature, 0…2.")
    var temperature: Double?

    @Option(help: "Target length of the narration in seconds (10…180).")
    var duration: Double?

    @Option(help: "Config file (default: $AISHORTS_CONFIG or ~/.config/aishorts/config.yaml).")
    var config: String?

    @Flag(help: "Ask the model even if the same request was answered before.")
    var noCache = false

    /// Settings from the config file and environment, with these flags on top.
    func settings() throws -> LLMSettings {
        var settings = try LLMSettings.resolve(file: config.map { URL(fileURLWithPath: $0) })
        var chosen: LLMSettings.Provider?
        if let provider {
            guard let value = LLMSettings.Provider(rawValue: provider.lowercased()) else {
                throw ValidationError("--provider must be one of \(LLMSettings.Provider.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            chosen = value
        }
        settings = settings.switching(provider: chosen, baseURL: baseURL)
        if let model { settings.model = model }
        if let temperature {
            guard (0...2).contains(temperature) else { throw ValidationError("--temperature must be 0 to 2") }
            settings.temperature = temperature
        }
        if let duration {
            guard (10...180).contains(duration) else { throw ValidationError("--duration must be 10 to 180 seconds") }
            settings.targetSeconds = duration
        }
        return settings
    }

    /// The writer for these settings, or the one-line "no LLM configured" error.
    func writer(cache: DiskCache) throws -> ScriptWriter {
        let settings = try settings()
        guard settings.isConfigured else { throw LLMSettings.notConfigured }
        return ScriptWriter(client: OpenAIChatClient(settings: settings), settings: settings, cache: noCache ? nil : cache)
    }
}

/// What to write about, from `--topic` or `--category`.
struct BriefOptions: ParsableArguments {
    @Option(help: "What the short is about, e.g. \"ants that farm fungus\".")
    var topic: String?

    @Option(help: "A category; the writer picks a theme in it that was not made before.")
    var category: String?
}
