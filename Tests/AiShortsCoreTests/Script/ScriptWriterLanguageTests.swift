import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// The writer in other languages, against the python stub server (real HTTP, streaming).
@Suite("Script writer in other languages", .serialized, .timeLimit(.minutes(1)))
struct ScriptWriterLanguageTests {
    static func writer(_ base: URL, _ scenario: String, language: String) throws -> ScriptWriter {
        let settings = LLMSettings(provider: .custom, baseURL: base.absoluteString + "/\(scenario)/v1", apiKey: "test-key", model: "stub-model")
        var writer = ScriptWriter(client: OpenAIChatClient(settings: settings, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05)),
                                  settings: settings, cache: nil)
        writer.language = try #require(LanguageTag(language))
        return writer
    }

    static func payload(_ messages: [ChatMessage]?) throws -> [String: Any] {
        let user = try #require(messages?.last { $0.role == "user" })
        return try #require(try JSONSerialization.jsonObject(with: Data(user.content.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: StubServer.available)) func aBrazilianPortugueseScriptIsAskedForAndAccepted() async throws {
        try await withStubServer { base in
            let writer = try Self.writer(base, "pt-BR", language: "pt-BR")
            let (script, report) = try await writer.write(.topic("formigas que cultivam fungos"))
            #expect(script.title == "Formigas que cultivam fungos")
            #expect(!report.repaired && report.requests == 1)
            #expect(script.scenes.allSatisfy { $0.localQueries?.count == $0.queries.count })
            let seen = try await requests(base)
            let messages = try #require(seen.first?.body?.messages)
            #expect(messages[0].content.contains("in Brazilian Portuguese (pt-BR)"))
            #expect(messages[0].content.contains("\"queries\" phrase in English"))
            #expect(messages[0].content.contains("\"local_queries\""))
            #expect(messages[0].content.contains("2.6 words per second"))
            #expect(!messages[0].content.contains("Write in English."))
            let payload = try Self.payload(messages)
            #expect(payload["language"] as? String == "pt-BR")
            #expect(payload["target_words"] as? Int == 104)

            // The spec keeps the language, the English phrases for stock sites and the Portuguese ones for YouTube.
            let spec = script.spec(output: URL(fileURLWithPath: "/tmp/f.mp4"), language: writer.language)
            #expect(spec.language.description == "pt-BR")
            #expect(spec.scenes[1].queries == ["leafcutter ants carrying leaves", "ant trail rainforest"])
            #expect(spec.scenes[1].localQueries == ["formigas cortadeiras carregando folhas", "trilha de formigas na floresta"])
            #expect(spec.scenes[0].text.contains("próprio"))
        }
    }

    @Test(.enabled(if: StubServer.available)) func anEnglishAnswerToAPortugueseBriefIsRepaired() async throws {
        try await withStubServer { base in
            let (script, report) = try await Self.writer(base, "english-then-pt-BR", language: "pt-BR").write(.topic("formigas"))
            #expect(report.repaired && report.requests == 2)
            #expect(script.hook.hasPrefix("Essas formigas"))
            let seen = try await requests(base)
            try #require(seen.count == 2)
            let repair = try #require(seen[1].body?.messages?.last)
            #expect(repair.role == "user")
            #expect(repair.content.contains("it reads as English, not Brazilian Portuguese; write the hook and every narration in Brazilian Portuguese"))
        }
    }

    @Test(.enabled(if: StubServer.available)) func aJapaneseScriptIsMeasuredInCharacters() async throws {
        try await withStubServer { base in
            let writer = try Self.writer(base, "ja", language: "ja")
            let (script, report) = try await writer.write(.topic("キノコを育てるアリ"))
            #expect(!report.repaired)
            #expect(script.problem(targetSeconds: 40, language: writer.language) == nil)
            let messages = try #require(try await requests(base).first?.body?.messages)
            #expect(messages[0].content.contains("in Japanese (ja)"))
            #expect(messages[0].content.contains("7 characters per second"))
            let payload = try Self.payload(messages)
            #expect(payload["target_characters"] as? Int == 280 && payload["target_words"] == nil)
            // Too few characters for the length is a problem stated in characters.
            #expect(script.problem(targetSeconds: 120, language: writer.language)?.contains("spoken characters for 120 seconds; write about 840") == true)
        }
    }

    @Test(.enabled(if: StubServer.available)) func anEnglishAnswerToAJapaneseBriefIsRepaired() async throws {
        try await withStubServer { base in
            let (script, report) = try await Self.writer(base, "english-then-ja", language: "ja").write(.topic("アリ"))
            #expect(report.repaired && report.requests == 2)
            #expect(script.title == "キノコを育てるアリ")
            let repair = try #require(try await requests(base).last?.body?.messages?.last)
            #expect(repair.content.contains("it is not written in Japanese"))
            #expect(repair.content.contains("write the hook and every narration in Japanese"))
        }
    }

    @Test func theSchemaAsksForLocalQueriesOnlyInAnotherLanguage() throws {
        #expect(WrittenScript.schema(for: .english) == WrittenScript.schema)
        let schema = WrittenScript.schema(for: try #require(LanguageTag("ja")))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let scene = try #require(((object["properties"] as? [String: Any])?["scenes"] as? [String: Any])?["items"] as? [String: Any])
        #expect(scene["required"] as? [String] == ["narration", "queries", "local_queries"])
        #expect((scene["properties"] as? [String: Any])?["local_queries"] != nil)
    }

    @Test func anEnglishBriefIsAskedForAsBefore() async throws {
        let box = MessageBox()
        let settings = LLMSettings(provider: .custom, baseURL: "http://127.0.0.1:9/v1", model: "m")
        _ = try? await ScriptWriter(client: RecordingClient(box: box), settings: settings, cache: nil).write(.topic("ants"))
        let messages = await box.messages
        #expect(messages.first?.content.contains("Write in English.") == true)
        #expect(messages.first?.content.contains("local_queries") == false)
        let payload = try Self.payload(messages)
        #expect(payload["target_words"] as? Int == 100 && payload["language"] == nil)
    }
}

/// Keeps the messages of the last request.
private actor MessageBox {
    var messages: [ChatMessage] = []
    func set(_ messages: [ChatMessage]) { self.messages = messages }
}

/// Records a request's messages, then fails it.
private struct RecordingClient: ChatClient {
    let box: MessageBox

    func complete(_ request: ChatRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> ChatCompletion {
        await box.set(request.messages)
        throw ScriptError(.unreachable, "recorded")
    }
}
