public import Foundation

/// Which OpenAI-compatible service writes scripts, and how.
///
/// Resolved in order: built-in defaults for the provider, then the config file's `llm:` section, then
/// environment variables, then command-line flags (each later one wins). The API key is never written
/// to the config file by AiShorts and never included in cache keys.
public struct LLMSettings: Sendable, Hashable {
    /// A known provider, with its default base URL, key variable and model.
    public enum Provider: String, Sendable, Hashable, CaseIterable {
        /// OpenRouter: the default.
        case openrouter
        /// OpenAI.
        case openai
        /// A local Ollama server.
        case ollama
        /// Any other OpenAI-compatible server (`llm.base_url` required).
        case custom

        /// The default base URL (without `/chat/completions`).
        public var defaultBaseURL: String? {
            switch self {
            case .openrouter: "https://openrouter.ai/api/v1"
            case .openai: "https://api.openai.com/v1"
            case .ollama: "http://127.0.0.1:11434/v1"
            case .custom: nil
            }
        }

        /// The environment variable holding the API key.
        public var keyVariable: String? {
            switch self {
            case .openrouter: "OPENROUTER_API_KEY"
            case .openai: "OPENAI_API_KEY"
            case .ollama, .custom: nil
            }
        }

        /// The model used when none is configured.
        public var defaultModel: String {
            switch self {
            case .openrouter: "openai/gpt-4o-mini"
            case .openai: "gpt-4o-mini"
            case .ollama: "llama3.1"
            case .custom: "default"
            }
        }

        /// Whether the provider accepts `response_format: {type: json_schema}`.
        public var supportsJSONSchema: Bool { self == .openrouter || self == .openai }
    }

    /// The provider.
    public var provider: Provider
    /// The base URL, such as `https://openrouter.ai/api/v1`.
    public var baseURL: String?
    /// The API key, if the provider needs one.
    public var apiKey: String?
    /// The model.
    public var model: String
    /// Sampling temperature.
    public var temperature: Double
    /// The length the script should take to narrate, in seconds.
    public var targetSeconds: Double
    /// Seconds allowed to connect.
    public var connectTimeout: Double
    /// Seconds allowed for one whole attempt (connect, answer, and the streamed body).
    public var totalTimeout: Double
    /// How long a cached answer is reused, in seconds.
    public var cacheLifetime: Double

    /// Creates settings; see ``resolve(file:environment:)`` for the usual way.
    public init(
        provider: Provider = .openrouter,
        baseURL: String? = nil,
        apiKey: String? = nil,
        model: String? = nil,
        temperature: Double = 0.8,
        targetSeconds: Double = 40,
        connectTimeout: Double = 10,
        totalTimeout: Double = 90,
        cacheLifetime: Double = 7 * 24 * 3600
    ) {
        self.provider = provider
        self.baseURL = baseURL ?? provider.defaultBaseURL
        self.apiKey = apiKey
        self.model = model ?? provider.defaultModel
        self.temperature = temperature
        self.targetSeconds = targetSeconds
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.cacheLifetime = cacheLifetime
    }

    /// Whether requests can be made: a base URL, and a key where the provider needs one.
    public var isConfigured: Bool {
        guard baseURL != nil else { return false }
        return provider.keyVariable == nil || !(apiKey ?? "").isEmpty
    }

    /// The error to show when ``isConfigured`` is false.
    public static let notConfigured = ScriptError(
        .notConfigured,
        "no LLM configured: set OPENROUTER_API_KEY (or llm.base_url for a local server), or pass --script FILE"
    )
}
