import AiShortsCore
import Foundation
import Testing

@Suite struct LLMSettingsTests {
    /// A folder for config files, removed by `remove()`.
    struct Folder {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-config-\(UUID().uuidString)")

        func file(_ text: String, _ name: String = "config.yaml") throws -> URL {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let url = root.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    /// An environment with no config file and no keys.
    static let bare = ["AISHORTS_CONFIG": "/nonexistent/aishorts/config.yaml"]

    @Test func withNothingConfiguredItIsOpenRouterWithoutAKey() throws {
        let settings = try LLMSettings.resolve(environment: Self.bare)
        #expect(settings.provider == .openrouter)
        #expect(settings.baseURL == "https://openrouter.ai/api/v1")
        #expect(settings.model == "openai/gpt-4o-mini")
        #expect(settings.apiKey == nil)
        #expect(!settings.isConfigured)
    }

    @Test func theProviderKeyVariableConfiguresOpenRouter() throws {
        let settings = try LLMSettings.resolve(environment: Self.bare.merging(["OPENROUTER_API_KEY": "sk-or-1"]) { $1 })
        #expect(settings.provider == .openrouter)
        #expect(settings.apiKey == "sk-or-1")
        #expect(settings.isConfigured)
    }

    @Test func aConfigFileChoosesTheProviderAndModel() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm: {provider: ollama, model: x}\n")
        let settings = try LLMSettings.resolve(file: file, environment: [:])
        #expect(settings.provider == .ollama)
        #expect(settings.model == "x")
        #expect(settings.baseURL == "http://127.0.0.1:11434/v1")
        #expect(settings.isConfigured)
    }

    @Test func theDefaultConfigFileIsReadFromAISHORTS_CONFIG() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm:\n  provider: openai\n  temperature: 0.3\n  duration: 60\n")
        let settings = try LLMSettings.resolve(environment: ["AISHORTS_CONFIG": file.path, "OPENAI_API_KEY": "sk-openai"])
        #expect(settings.provider == .openai)
        #expect(settings.model == "gpt-4o-mini")
        #expect(settings.apiKey == "sk-openai")
        #expect(settings.temperature == 0.3)
        #expect(settings.targetSeconds == 60)
    }

    @Test func environmentVariablesOverrideTheFile() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm:\n  provider: ollama\n  model: x\n  api_key: from-file\n")
        let settings = try LLMSettings.resolve(file: file, environment: [
            "AISHORTS_LLM_PROVIDER": "custom", "AISHORTS_LLM_BASE_URL": "http://10.0.0.2:8080/v1",
            "AISHORTS_LLM_MODEL": "y", "AISHORTS_LLM_API_KEY": "from-env",
        ])
        #expect(settings.provider == .custom)
        #expect(settings.baseURL == "http://10.0.0.2:8080/v1")
        #expect(settings.model == "y")
        #expect(settings.apiKey == "from-env")
    }

    @Test func emptyEnvironmentVariablesAreIgnored() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm: {provider: ollama, model: x}\n")
        let settings = try LLMSettings.resolve(file: file, environment: ["AISHORTS_LLM_MODEL": "", "AISHORTS_LLM_PROVIDER": ""])
        #expect(settings.provider == .ollama)
        #expect(settings.model == "x")
    }

    @Test func anUnknownProviderNamesTheField() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm:\n  provider: anthropicc\n")
        let error = try #require(#expect(throws: SpecError.self) { try LLMSettings.resolve(file: file, environment: [:]) })
        #expect(error.field == "llm.provider")
        #expect(error.code == .invalidValue)
        #expect(error.message.contains("anthropicc"))
        #expect(error.message.contains("openrouter, openai, ollama, custom"))
        // The same from the environment.
        let fromEnvironment = try #require(#expect(throws: SpecError.self) {
            try LLMSettings.resolve(environment: Self.bare.merging(["AISHORTS_LLM_PROVIDER": "nope"]) { $1 })
        })
        #expect(fromEnvironment.field == "llm.provider")
    }

    @Test func aProviderNameIsCaseInsensitive() throws {
        let settings = try LLMSettings.resolve(environment: Self.bare.merging(["AISHORTS_LLM_PROVIDER": "Ollama"]) { $1 })
        #expect(settings.provider == .ollama)
    }

    @Test func aBaseURLAloneMeansACustomServer() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm:\n  base_url: http://127.0.0.1:8080/v1\n")
        let settings = try LLMSettings.resolve(file: file, environment: ["OPENROUTER_API_KEY": "sk-or-1"])
        #expect(settings.provider == .custom)
        #expect(settings.baseURL == "http://127.0.0.1:8080/v1")
        #expect(settings.model == "default")
        // OpenRouter's key is not sent to another server.
        #expect(settings.apiKey == nil)
        #expect(settings.isConfigured)
        let fromEnvironment = try LLMSettings.resolve(environment: Self.bare.merging(["AISHORTS_LLM_BASE_URL": "http://h/v1"]) { $1 })
        #expect(fromEnvironment.provider == .custom)
    }

    @Test(arguments: [
        ("llm:\n  temperature: 3\n", "llm.temperature"), ("llm:\n  temperature: warm\n", "llm.temperature"),
        ("llm:\n  duration: 5\n", "llm.duration"), ("llm:\n  duration: 181\n", "llm.duration"),
    ])
    func outOfRangeNumbersNameTheField(yaml: String, field: String) throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file(yaml)
        let error = try #require(#expect(throws: SpecError.self) { try LLMSettings.resolve(file: file, environment: [:]) })
        #expect(error.field == field)
        #expect(error.file == file.path)
    }

    @Test func anUnknownFieldIsAnError() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm:\n  modle: x\n")
        let error = try #require(#expect(throws: SpecError.self) { try LLMSettings.resolve(file: file, environment: [:]) })
        #expect(error.code == .unknownField)
        #expect(error.description.contains("modle"))
    }

    @Test func invalidYAMLIsAnError() throws {
        let folder = Folder()
        defer { folder.remove() }
        let file = try folder.file("llm: [unclosed\n")
        let error = try #require(#expect(throws: SpecError.self) { try LLMSettings.resolve(file: file, environment: [:]) })
        #expect(error.code == .invalidYAML)
    }

    @Test func aMissingNamedFileIsAnErrorButAMissingDefaultIsNot() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/aishorts/named.yaml")
        let error = try #require(#expect(throws: SpecError.self) { try LLMSettings.resolve(file: missing, environment: [:]) })
        #expect(error.code == .unreadable)
        #expect(throws: Never.self) { try LLMSettings.resolve(environment: Self.bare) }
    }

    @Test func anEmptyConfigFileMeansTheDefaults() throws {
        let folder = Folder()
        defer { folder.remove() }
        let settings = try LLMSettings.resolve(file: try folder.file(""), environment: [:])
        #expect(settings.provider == .openrouter)
        #expect(settings.temperature == 0.8)
        #expect(settings.targetSeconds == 40)
    }

    @Test func theDefaultConfigFileLocation() {
        #expect(LLMSettings.defaultConfigFile(environment: ["AISHORTS_CONFIG": "/a/b.yaml", "XDG_CONFIG_HOME": "/x"]).path == "/a/b.yaml")
        #expect(LLMSettings.defaultConfigFile(environment: ["XDG_CONFIG_HOME": "/x"]).path == "/x/aishorts/config.yaml")
        #expect(LLMSettings.defaultConfigFile(environment: ["AISHORTS_CONFIG": ""]).path.hasSuffix("/.config/aishorts/config.yaml"))
    }

    @Test(arguments: [
        (LLMSettings.Provider.openrouter, nil as String?, false), (.openrouter, "", false), (.openrouter, "k", true),
        (.openai, nil, false), (.openai, "k", true), (.ollama, nil, true), (.custom, nil, false),
    ])
    func isConfiguredNeedsABaseURLAndAKeyWhereTheProviderNeedsOne(provider: LLMSettings.Provider, key: String?, configured: Bool) {
        #expect(LLMSettings(provider: provider, apiKey: key).isConfigured == configured)
    }

    @Test func aCustomProviderWithABaseURLIsConfigured() {
        #expect(LLMSettings(provider: .custom, baseURL: "http://127.0.0.1:8080/v1").isConfigured)
    }

    @Test func onlyOpenRouterAndOpenAIGetTheJSONSchema() {
        #expect(LLMSettings.Provider.allCases.filter(\.supportsJSONSchema) == [.openrouter, .openai])
    }
}
