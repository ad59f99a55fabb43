/// One message of a chat-completions conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// The text.
    public var content: String

    /// Creates a message.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

/// A chat-completions request, independent of any provider.
public struct ChatRequest: Sendable, Hashable {
    /// The model name, as the provider spells it.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Sampling temperature.
    public var temperature: Double
    /// A JSON schema the answer must follow (sent as `response_format` when the provider supports it).
    public var schema: String?

    /// Creates a request.
    public init(model: String, messages: [ChatMessage], temperature: Double, schema: String? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.schema = schema
    }
}

/// A finished answer and what it cost.
public struct ChatCompletion: Sendable, Hashable, Codable {
    /// The assistant's text.
    public var content: String
    /// Prompt tokens, as the provider counted them.
    public var promptTokens: Int
    /// Completion tokens, as the provider counted them.
    public var completionTokens: Int
    /// HTTP requests made (retries included).
    public var requests: Int

    /// Creates a completion.
    public init(content: String, promptTokens: Int = 0, completionTokens: Int = 0, requests: Int = 1) {
        self.content = content
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.requests = requests
    }
}

/// Something that answers chat-completions requests, streaming the text as it comes.
public protocol ChatClient: Sendable {
    /// Sends `request`, calling `onText` with each piece of the answer as it arrives.
    ///
    /// - Throws: ``ScriptError`` for every failure a user can act on; `CancellationError`.
    func complete(_ request: ChatRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> ChatCompletion
}
