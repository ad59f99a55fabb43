public import Foundation
import Yams

extension LLMSettings {
    /// The config file used when none is named: `$AISHORTS_CONFIG`, else `~/.config/aishorts/config.yaml`.
    public static func defaultConfigFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["AISHORTS_CONFIG"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        let base = environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("aishorts/config.yaml")
    }

    /// Settings from the config file's `llm:` section (if the file exists) and the environment.
    ///
    /// Environment: `AISHORTS_LLM_PROVIDER`, `AISHORTS_LLM_BASE_URL`, `AISHORTS_LLM_MODEL`,
    /// `AISHORTS_LLM_API_KEY`, and the provider's own key variable (`OPENROUTER_API_KEY`, `OPENAI_API_KEY`).
    /// - Throws: ``SpecError`` naming the field and line of a bad config value.
    public static func resolve(
        file: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SpecError) -> LLMSettings {
        let path = file ?? defaultConfigFile(environment: environment)
        var fields: [String: String] = [:]
        if let text = try? String(contentsOf: path, encoding: .utf8) {
            fields = try configFields(text, file: path.path)
        } else if file != nil {
            throw SpecError(.unreadable, file: path.path, message: "cannot read the config file")
        }
        for (variable, key) in [
            ("AISHORTS_LLM_PROVIDER", "provider"), ("AISHORTS_LLM_BASE_URL", "base_url"),
            ("AISHORTS_LLM_MODEL", "model"), ("AISHORTS_LLM_API_KEY", "api_key"),
        ] {
            if let value = environment[variable], !value.isEmpty { fields[key] = value }
        }
        var provider = Provider.openrouter
        if let name = fields["provider"] {
            guard let known = Provider(rawValue: name.lowercased()) else {
                throw SpecError(.invalidValue, file: path.path, field: "llm.provider",
                    message: "unknown provider \"\(name)\"; use \(Provider.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            provider = known
        } else if fields["base_url"] != nil {
            provider = .custom
        }
        var settings = LLMSettings(provider: provider, baseURL: fields["base_url"], model: fields["model"])
        settings.apiKey = fields["api_key"] ?? provider.keyVariable.flatMap { environment[$0] }
        if let value = fields["temperature"] {
            guard let number = Double(value), (0...2).contains(number) else {
                throw SpecError(.invalidValue, file: path.path, field: "llm.temperature", message: "must be a number from 0 to 2")
            }
            settings.temperature = number
        }
        if let value = fields["duration"] {
            guard let number = Double(value), (10...180).contains(number) else {
                throw SpecError(.invalidValue, file: path.path, field: "llm.duration", message: "must be 10 to 180 seconds")
            }
            settings.targetSeconds = number
        }
        return settings
    }

    /// These settings pointed at another provider or server (as `--provider` and `--base-url` ask).
    ///
    /// Whatever the config file set for temperature and length is kept. When the server changes, the
    /// model falls back to the new provider's default (unless one was configured), and the key is the new
    /// provider's own variable, else `AISHORTS_LLM_API_KEY`: one provider's key is never sent to another
    /// server. A base URL alone names a custom server.
    public func switching(
        provider newProvider: Provider?,
        baseURL newBaseURL: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> LLMSettings {
        let movesServer = newBaseURL != nil && newBaseURL != baseURL
        let target = newProvider ?? (movesServer ? .custom : provider)
        var switched = self
        if target != provider {
            if model == provider.defaultModel { switched.model = target.defaultModel }
            switched.baseURL = target.defaultBaseURL
        }
        if let newBaseURL { switched.baseURL = newBaseURL }
        if target != provider || movesServer {
            switched.apiKey = target.keyVariable.flatMap { environment[$0] } ?? environment["AISHORTS_LLM_API_KEY"]
        }
        switched.provider = target
        return switched
    }

    /// The scalar fields of the `llm:` mapping.
    private static func configFields(_ text: String, file: String) throws(SpecError) -> [String: String] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw SpecError(.invalidYAML, file: file, message: "not valid YAML: \(error)")
        }
        guard let root else { return [:] }
        let top = try SpecNode(node: root, path: "", file: file).fields(allowed: ["llm"])
        guard let llm = top["llm"] else { return [:] }
        let entries = try llm.fields(allowed: ["provider", "base_url", "model", "api_key", "temperature", "duration"])
        var result: [String: String] = [:]
        for (key, node) in entries { result[key] = try node.string() }
        return result
    }
}
