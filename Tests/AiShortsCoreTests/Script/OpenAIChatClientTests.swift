import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// Collects what a client hands to `onText`, in order.
actor TextPieces {
    private(set) var pieces: [String] = []
    func add(_ piece: String) { pieces.append(piece) }
}

/// The client against a real HTTP server (the python stub): request shape, streaming, retries,
/// timeouts and the error for each kind of failure.
@Suite("OpenAI-compatible chat client", .serialized, .enabled(if: StubServer.available), .timeLimit(.minutes(1)))
struct OpenAIChatClientTests {
    static let request = ChatRequest(
        model: "stub-model",
        messages: [.system("You write scripts."), .user(#"{"topic":"ants that farm fungus"}"#)],
        temperature: 0.3,
        schema: WrittenScript.schema
    )

    /// Settings for `scenario` on the stub at `base`.
    static func settings(
        _ base: URL, _ scenario: String, provider: LLMSettings.Provider = .custom, apiKey: String? = "test-key"
    ) -> LLMSettings {
        LLMSettings(provider: provider, baseURL: base.absoluteString + "/\(scenario)/v1", apiKey: apiKey, model: "stub-model")
    }

    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.05)

    // MARK: - Request shape

    @Test func postsAStreamingRequestWithTheKeyAndAJSONObjectFormatForACustomServer() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "ok"))
            _ = try await client.complete(Self.request) { _ in }
            let seen = try await requests(base)
            try #require(seen.count == 1)
            let recorded = seen[0]
            #expect(recorded.path == "/ok/v1/chat/completions")
            #expect(recorded.headers["authorization"] == "Bearer test-key")
            #expect(recorded.headers["content-type"] == "application/json")
            #expect(recorded.headers["accept"] == "text/event-stream")
            // Attribution headers are OpenRouter's only.
            #expect(recorded.headers["http-referer"] == nil)
            #expect(recorded.headers["x-title"] == nil)
            let body = try #require(recorded.body)
            #expect(body.model == "stub-model")
            #expect(body.messages == Self.request.messages)
            #expect(body.temperature == 0.3)
            #expect(body.stream == true)
            #expect(body.stream_options?.include_usage == true)
            #expect(body.response_format?.type == "json_object")
            #expect(body.response_format?.json_schema == nil)
        }
    }

    @Test func openRouterGetsAttributionHeadersAndTheJSONSchema() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "ok", provider: .openrouter))
            _ = try await client.complete(Self.request) { _ in }
            let recorded = try #require(try await requests(base).first)
            #expect(recorded.path == "/ok/v1/chat/completions")
            #expect(recorded.headers["authorization"] == "Bearer test-key")
            #expect(recorded.headers["http-referer"]?.isEmpty == false)
            #expect(recorded.headers["x-title"] == "AiShorts")
            let format = try #require(recorded.body?.response_format)
            #expect(format.type == "json_schema")
            #expect(format.json_schema?.name == "short_script")
            #expect(format.json_schema?.strict == true)
            #expect(format.json_schema?.schema?.type == "object")
            #expect(format.json_schema?.schema?.required == ["title", "hook", "scenes", "description", "hashtags"])
        }
    }

    @Test func openAIGetsTheJSONSchemaButNoAttributionHeaders() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "ok", provider: .openai))
            _ = try await client.complete(Self.request) { _ in }
            let recorded = try #require(try await requests(base).first)
            #expect(recorded.body?.response_format?.type == "json_schema")
            #expect(recorded.headers["http-referer"] == nil)
            #expect(recorded.headers["x-title"] == nil)
        }
    }

    @Test func noKeyMeansNoAuthorizationHeaderAndNoSchemaMeansNoResponseFormat() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "ok", apiKey: nil))
            var request = Self.request
            request.schema = nil
            _ = try await client.complete(request) { _ in }
            let recorded = try #require(try await requests(base).first)
            #expect(recorded.headers["authorization"] == nil)
            #expect(recorded.body?.response_format == nil)
            #expect(recorded.body?.stream == true)
        }
    }

    @Test func aBaseURLWithATrailingSlashGetsNoDoubleSlash() async throws {
        try await withStubServer { base in
            var settings = Self.settings(base, "ok")
            settings.baseURL = (settings.baseURL ?? "") + "/"
            _ = try await OpenAIChatClient(settings: settings).complete(Self.request) { _ in }
            #expect(try await requests(base).map(\.path) == ["/ok/v1/chat/completions"])
        }
    }

    // MARK: - Streaming

    @Test func streamsTheAnswerInPiecesThatMakeUpTheContentAndCountsTokens() async throws {
        try await withStubServer { base in
            let pieces = TextPieces()
            let completion = try await OpenAIChatClient(settings: Self.settings(base, "ok")).complete(Self.request) { piece in
                await pieces.add(piece)
            }
            let received = await pieces.pieces
            #expect(received.count > 5)
            #expect(received.joined() == completion.content)
            let script = try JSONDecoder().decode(WrittenScript.self, from: Data(completion.content.utf8))
            #expect(script.title == "Ants That Farm Fungus")
            #expect(script.scenes.count == 5)
            #expect(completion.promptTokens == 120)
            #expect(completion.completionTokens == 240)
            #expect(completion.requests == 1)
        }
    }

    // MARK: - Retries

    @Test func aRateLimitIsRetriedAfterRetryAfter() async throws {
        try await withStubServer { base in
            let completion = try await OpenAIChatClient(settings: Self.settings(base, "ratelimit-then-ok")).complete(Self.request) { _ in }
            #expect(completion.requests == 2)
            #expect(completion.content.contains("Ants That Farm Fungus"))
            let times = try await requests(base).map(\.time)
            try #require(times.count == 2)
            // Retry-After: 1 was honoured (not the 0.5 s exponential backoff).
            #expect(times[1] - times[0] >= 0.95, "second request came \(times[1] - times[0]) s after the first")
        }
    }

    @Test func retryAfterIsCappedByTheMaximumDelay() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(
                settings: Self.settings(base, "long-ratelimit-then-ok"), retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 0.1)
            )
            let completion = try await client.complete(Self.request) { _ in }
            #expect(completion.requests == 2)
            #expect(try await requests(base).count == 2)
            // The stub asks for 6 s; the client waits what the policy allows (no stopwatch: the
            // wait is computed, and a busy machine cannot change it).
            #expect(client.retry.delay(after: 1, retryAfter: 6) == 0.1)
            #expect(client.retry.delay(after: 1, retryAfter: 0.02) == 0.02)
        }
    }

    @Test func aServerErrorIsRetriedAndThenSucceeds() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "error500-then-ok"), retry: Self.fastRetry)
            let completion = try await client.complete(Self.request) { _ in }
            #expect(completion.requests == 2)
            #expect(completion.promptTokens == 120)
            #expect(try await requests(base).count == 2)
        }
    }

    @Test func aServerThatKeepsFailingGivesUpAfterMaxAttempts() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "error500"), retry: Self.fastRetry)
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            #expect(error.code == .serverError)
            #expect(error.message.contains("500"))
            #expect(error.message.contains("upstream exploded"))
            #expect(try await requests(base).count == 3)
        }
    }

    // MARK: - Errors the user must fix (never retried)

    @Test func aRefusedKeyIsNotRetriedAndNamesTheKeySetting() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "unauthorized"), retry: Self.fastRetry)
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            #expect(error.code == .unauthorized)
            #expect(error.message.contains("Invalid API key"))
            #expect(error.message.contains("llm.api_key"))
            #expect(try await requests(base).count == 1)
        }
    }

    @Test func aRefusedOpenRouterKeyNamesItsVariable() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "unauthorized", provider: .openrouter), retry: Self.fastRetry)
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            #expect(error.code == .unauthorized)
            #expect(error.message.contains("OPENROUTER_API_KEY"))
            #expect(try await requests(base).count == 1)
        }
    }

    @Test func aRejectedModelQuotesTheProviderAndTheModelName() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "model-rejected"), retry: Self.fastRetry)
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            #expect(error.code == .rejected)
            #expect(error.message.contains("stub-model is not a valid model ID"))
            #expect(error.message.contains("\"stub-model\""))
            #expect(error.message.contains("400"))
            #expect(try await requests(base).count == 1)
        }
    }

    @Test func anAnswerWithoutChoicesIsAnError() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "no-choices"), retry: Self.fastRetry)
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            #expect(error.code == .noChoices)
            #expect(try await requests(base).count == 1)
        }
    }

    @Test func unconfiguredSettingsFailBeforeAnyRequest() async throws {
        let settings = LLMSettings(provider: .openrouter, apiKey: nil)
        let error = try #require(await #expect(throws: ScriptError.self) {
            try await OpenAIChatClient(settings: settings).complete(Self.request) { _ in }
        })
        #expect(error.code == .notConfigured)
    }

    // MARK: - Time limits and cancellation

    /// Checks that `error` is a timeout, whichever fires first: the attempt's timer or the HTTP client's
    /// own deadline (a reached but slow server is never reported as unreachable).
    static func expectTimeout(_ error: ScriptError, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error.code == .timeout, "\(error.message)", sourceLocation: sourceLocation)
    }

    @Test func aSlowAnswerTimesOut() async throws {
        try await withStubServer { base in
            var settings = Self.settings(base, "slow")
            settings.totalTimeout = 1
            let client = OpenAIChatClient(settings: settings, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            Self.expectTimeout(error)
            // Two attempts, each ended by its 1 s limit (the stub answers only after 20 s).
            #expect(try await requests(base).count == 2)
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        try await withStubServer { base in
            var settings = Self.settings(base, "hang")
            settings.totalTimeout = 1
            let client = OpenAIChatClient(settings: settings, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
            let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
            Self.expectTimeout(error)
            // Two 1 s attempts (the stub hangs for 60 s), not a third.
            #expect(try await requests(base).count == 2)
        }
    }

    @Test func aStreamThatOutlastsTheTimeLimitTimesOut() async throws {
        try await withStubServer { base in
            // The stream starts at once but takes over 10 s to finish: only the 1 s limit can end it.
            var settings = Self.settings(base, "stream-stalling")
            settings.totalTimeout = 1
            let client = OpenAIChatClient(settings: settings, retry: RetryPolicy(maxAttempts: 1, baseDelay: 0.05))
            do {
                _ = try await client.complete(Self.request) { _ in }
                Issue.record("a stream longer than the time limit succeeded")
            } catch let error as ScriptError {
                #expect(error.code == .timeout, "\(error.message)")
            } catch {
                Issue.record("threw \(type(of: error)) \(error), not a ScriptError")
            }
        }
    }

    @Test func anUnreachableServerIsReportedAsSuch() async throws {
        var settings = LLMSettings(provider: .custom, baseURL: "http://127.0.0.1:1/v1", apiKey: "test-key", model: "stub-model")
        // A refused connection still costs the whole connect timeout per attempt (AsyncHTTPClient keeps
        // trying to connect until then), so keep it short here.
        settings.connectTimeout = 0.5
        let client = OpenAIChatClient(settings: settings, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
        let error = try #require(await #expect(throws: ScriptError.self) { try await client.complete(Self.request) { _ in } })
        #expect(error.code == .unreachable, "\(error.message)")
        #expect(error.message.contains("127.0.0.1:1"))
    }

    @Test func cancellingWhileTheServerHangsReturnsPromptly() async throws {
        try await withStubServer { base in
            let client = OpenAIChatClient(settings: Self.settings(base, "hang"))  // default 90 s time limit
            let task = Task { try await client.complete(Self.request) { _ in } }
            // Wait until the request is on the server, so cancelling interrupts a request in flight.
            try await waitUntil("the request reached the stub") { try await !requests(base).isEmpty }
            task.cancel()
            // The stub hangs for 60 s and the client's limit is 90 s: only cancellation ends this.
            let result = await task.result
            switch result {
            case .success: Issue.record("a hanging request succeeded")
            case .failure(let error): #expect(error is CancellationError, "threw \(error)")
            }
            #expect(try await requests(base).count == 1)
        }
    }
}
