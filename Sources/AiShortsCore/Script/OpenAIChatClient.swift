public import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A ``ChatClient`` for any OpenAI-compatible `chat/completions` endpoint (OpenRouter, OpenAI, Ollama, …).
///
/// Every request streams (server-sent events), so text reaches the caller as it is generated. Failures
/// are retried per ``RetryPolicy``: 429 (honouring `Retry-After`), 5xx, timeouts and unreachable hosts.
/// 400/401/403/404/422 are not retried: they need the user to fix a key or a model name. Each attempt is
/// bounded by ``LLMSettings/connectTimeout`` and ``LLMSettings/totalTimeout``.
public struct OpenAIChatClient: ChatClient {
    /// Where and how to send requests.
    public var settings: LLMSettings
    /// When to try again.
    public var retry: RetryPolicy

    /// Creates a client.
    public init(settings: LLMSettings, retry: RetryPolicy = RetryPolicy()) {
        self.settings = settings
        self.retry = retry
    }

    enum Outcome: Sendable {
        case done(ChatCompletion)
        case retry(after: Double?, ScriptError)
    }

    /// Sends `request`; see the type's discussion for retries and timeouts.
    public func complete(_ request: ChatRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> ChatCompletion {
        guard settings.isConfigured, let base = settings.baseURL else { throw LLMSettings.notConfigured }
        let url = base.hasSuffix("/") ? base + "chat/completions" : base + "/chat/completions"
        let body = try Self.body(for: request, provider: settings.provider)
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(settings.connectTimeout * 1000)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let completion = try await attempts(client: client, url: url, body: body, onText: onText)
            try await client.shutdown()
            return completion
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func attempts(client: HTTPClient, url: String, body: Data, onText: @escaping @Sendable (String) async -> Void) async throws -> ChatCompletion {
        var attempt = 1
        while true {
            let outcome = try await withTimeout(settings.totalTimeout) {
                try await send(client: client, url: url, body: body, onText: onText)
            }
            switch outcome {
            case .done(var completion):
                completion.requests = attempt
                return completion
            case .retry(let after, let error):
                guard attempt < retry.maxAttempts else { throw error }
                try await Task.sleep(for: .seconds(retry.delay(after: attempt, retryAfter: after)))
                attempt += 1
            }
        }
    }

    private func withTimeout(_ seconds: Double, _ body: @escaping @Sendable () async throws -> Outcome) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                let message = "no complete answer from \(settings.baseURL ?? "the provider") within \(Int(seconds)) s; try again, or raise the timeout"
                return .retry(after: nil, ScriptError(.timeout, message))
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    private func send(client: HTTPClient, url: String, body: Data, onText: @escaping @Sendable (String) async -> Void) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let key = settings.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if settings.provider == .openrouter {
            // OpenRouter's app attribution headers.
            request.headers.add(name: "HTTP-Referer", value: "https://github.com/aishorts/aishorts")
            request.headers.add(name: "X-Title", value: "AiShorts")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(Int64(settings.totalTimeout.rounded(.up))))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            // The server was reached but is too slow: a timeout, not an address problem.
            let message = "no complete answer from \(settings.baseURL ?? url) within \(Int(settings.totalTimeout)) s; try again, or raise the timeout"
            return .retry(after: nil, ScriptError(.timeout, message))
        } catch {
            try Task.checkCancellation()
            return .retry(after: nil, ScriptError(.unreachable, "cannot reach \(url) (\(error)); check llm.base_url and that the server runs"))
        }
        let status = Int(response.status.code)
        guard status == 200 else {
            let text = try await Self.collect(response.body, limit: 64 * 1024)
            return try Self.failure(status: status, body: text, retryAfter: response.headers.first(name: "Retry-After"), url: url, settings: settings)
        }
        let isStream = response.headers.first(name: "Content-Type")?.contains("text/event-stream") ?? false
        if !isStream {
            let text = try await Self.collect(response.body, limit: 8 * 1024 * 1024)
            let completion = try Self.decodeWhole(text)
            await onText(completion.content)
            return .done(completion)
        }
        var events = ServerSentEvents()
        var content = ""
        var usage: (Int, Int) = (0, 0)
        var sawChoice = false
        for try await buffer in response.body {
            for payload in events.feed(Array(buffer.readableBytesView)) where payload != "[DONE]" {
                guard let chunk = try? JSONDecoder().decode(StreamChunk.self, from: Data(payload.utf8)) else { continue }
                if let piece = chunk.choices?.first?.delta?.content, !piece.isEmpty {
                    content += piece
                    await onText(piece)
                }
                if chunk.choices?.isEmpty == false { sawChoice = true }
                if let tokens = chunk.usage { usage = (tokens.prompt_tokens ?? 0, tokens.completion_tokens ?? 0) }
            }
        }
        guard sawChoice else { throw ScriptError(.noChoices, "the provider's answer held no choices; try another model with --model") }
        return .done(ChatCompletion(content: content, promptTokens: usage.0, completionTokens: usage.1))
    }
}
