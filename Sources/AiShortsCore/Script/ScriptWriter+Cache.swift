import Foundation

extension ScriptWriter {
    private struct CachedAnswer: Codable {
        var created: Date
        var content: String
    }

    /// The cache key: provider, base URL, model, temperature, schema and messages; never the API key.
    func cacheKey(_ request: ChatRequest) -> String {
        let messages = request.messages.map { "\($0.role)\u{1F}\($0.content)" }
        return DiskCache.key(
            ["chat-v1", settings.provider.rawValue, settings.baseURL ?? "", request.model, String(request.temperature), request.schema ?? ""]
                + messages
        )
    }

    /// A validated answer stored for this key within the cache lifetime.
    func cachedAnswer(_ key: String) -> String? {
        guard let cache, let data = cache.data(namespace: "chat", key: key, extension: "json"),
            let answer = try? JSONDecoder().decode(CachedAnswer.self, from: data),
            Date().timeIntervalSince(answer.created) < settings.cacheLifetime
        else { return nil }
        return answer.content
    }

    /// Stores a validated answer; a cache that cannot be written is not an error.
    func store(_ content: String, key: String) {
        guard let cache, let data = try? JSONEncoder().encode(CachedAnswer(created: Date(), content: content)) else { return }
        _ = try? cache.store(data, namespace: "chat", key: key, extension: "json")
    }
}
