public import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Asks the configured provider for its model list: the cheapest request that proves the base URL
/// and the key work.
public struct ProviderCheck: Sendable {
    /// The provider to ask.
    public var settings: LLMSettings

    /// Creates a check.
    public init(settings: LLMSettings) {
        self.settings = settings
    }

    /// The number of models listed, or the problem. Never throws: a failing provider is the answer.
    public func run() async -> Result<Int, ScriptError> {
        guard settings.isConfigured, let base = settings.baseURL else { return .failure(LLMSettings.notConfigured) }
        var request = HTTPClientRequest(url: base.hasSuffix("/") ? base + "models" : base + "/models")
        if let key = settings.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(settings.connectTimeout.rounded(.up)) + 5))
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            let text = String(buffer: body)
            guard response.status.code == 200 else {
                let reason = OpenAIChatClient.providerMessage(text)
                if response.status.code == 401 || response.status.code == 403 {
                    return .failure(OpenAIChatClient.unauthorized(status: Int(response.status.code), reason: reason, settings: settings))
                }
                return .failure(ScriptError(.rejected, "the provider answered \(response.status.code): \(reason)"))
            }
            struct Models: Decodable { var data: [Model]?; struct Model: Decodable { var id: String? } }
            return .success((try? JSONDecoder().decode(Models.self, from: Data(text.utf8)))?.data?.count ?? 0)
        } catch {
            return .failure(ScriptError(.unreachable, "cannot reach \(base) (\(error)); check llm.base_url and that the server runs"))
        }
    }
}
