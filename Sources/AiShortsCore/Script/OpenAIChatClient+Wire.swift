import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension OpenAIChatClient {
    /// The JSON body: streaming with usage, and the schema as `response_format` where supported
    /// (`json_object` elsewhere, with the schema spelled out in the prompt by the caller).
    static func body(for request: ChatRequest, provider: LLMSettings.Provider) throws -> Data {
        var body: [String: Any] = [
            "model": request.model,
            "messages": request.messages.map { ["role": $0.role, "content": $0.content] },
            "temperature": request.temperature,
            "stream": true,
            "stream_options": ["include_usage": true],
        ]
        if let schema = request.schema, let object = try? JSONSerialization.jsonObject(with: Data(schema.utf8)) {
            body["response_format"] = provider.supportsJSONSchema
                ? ["type": "json_schema", "json_schema": ["name": "short_script", "strict": true, "schema": object]]
                : ["type": "json_object"]
        }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    static func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> String {
        var bytes: [UInt8] = []
        for try await buffer in body {
            bytes += buffer.readableBytesView
            if bytes.count > limit { break }
        }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }

    /// What a non-200 answer means: retry (429, 5xx) or a user-fixable error (everything else).
    static func failure(status: Int, body: String, retryAfter: String?, url: String, settings: LLMSettings) throws -> Outcome {
        let reason = providerMessage(body)
        switch status {
        case 429:
            let seconds = retryAfter.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? retryAfter.flatMap(httpDateDelay)
            return .retry(after: seconds, ScriptError(.rateLimited, "the provider is rate-limiting requests (429: \(reason)); wait and try again, or use another model"))
        case 500...599:
            return .retry(after: nil, ScriptError(.serverError, "the provider failed (\(status): \(reason)); try again later"))
        case 401, 403:
            throw unauthorized(status: status, reason: reason, settings: settings)
        default:
            throw ScriptError(.rejected, "the provider rejected the request (\(status): \(reason)); check the model name \"\(settings.model)\" (llm.model or --model)")
        }
    }

    /// The error for a refused key, naming where the key comes from.
    static func unauthorized(status: Int, reason: String, settings: LLMSettings) -> ScriptError {
        ScriptError(.unauthorized, "the provider refused the API key (\(status): \(reason)); check \(settings.provider.keyVariable ?? "llm.api_key")")
    }

    /// The provider's own error message, from `{"error": {"message": …}}` or the body's start.
    static func providerMessage(_ body: String) -> String {
        struct Envelope: Decodable {
            struct Inner: Decodable { var message: String? }
            var error: Inner?
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body.utf8)), let message = envelope.error?.message {
            return message
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "no details" : String(trimmed.prefix(160))
    }

    static func httpDateDelay(_ value: String) -> Double? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { $0.timeIntervalSinceNow }
    }

    struct StreamChunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var message: Delta?
        }
        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }
        var choices: [Choice]?
        var usage: Usage?
    }

    /// A whole (non-streamed) answer, for servers that ignore `stream: true`.
    static func decodeWhole(_ text: String) throws -> ChatCompletion {
        guard let whole = try? JSONDecoder().decode(StreamChunk.self, from: Data(text.utf8)) else {
            throw ScriptError(.noChoices, "the provider's answer was not chat-completions JSON; check llm.base_url")
        }
        guard let content = whole.choices?.first?.message?.content else {
            throw ScriptError(.noChoices, "the provider's answer held no choices; try another model with --model")
        }
        return ChatCompletion(content: content, promptTokens: whole.usage?.prompt_tokens ?? 0, completionTokens: whole.usage?.completion_tokens ?? 0)
    }
}

/// Splits a server-sent-events byte stream into the payloads of its `data:` lines.
struct ServerSentEvents {
    private var pending: [UInt8] = []

    /// Adds bytes and returns every complete `data:` payload they finish.
    mutating func feed(_ bytes: [UInt8]) -> [String] {
        pending += bytes
        var payloads: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = pending[..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            pending.removeSubrange(...newline)
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("data:") {
                payloads.append(text.dropFirst(5).trimmingCharacters(in: .whitespaces))
            }
        }
        return payloads
    }
}
