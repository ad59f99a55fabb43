import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// Runs the built `aishorts` binary as a user would.
@Suite("aishorts command line", .serialized, .enabled(if: Fixtures.binary != nil))
struct CommandLineTests {
    static var binary: String? { Fixtures.binary }

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func run(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Self.binary)
        let cache = folder.appendingPathComponent("cache").path
        return try await ToolRunner(keptStderrLines: 200).run(Tool(name: "aishorts", path: binary), arguments: arguments + ["--cache-dir", cache])
    }

    func write(_ text: String, _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aSpecWithATypoFailsWithOneLine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try write("title: T\nscens:\n  - Hello.\n", "typo.yaml")
        let result = try await run(["render", spec])
        #expect(!result.isSuccess)
        #expect(result.stderrTail.count == 1)
        #expect(result.stderrTail.first == "error: \(spec):2: unknown field \"scens\"; did you mean \"scenes\"? allowed here: title, aspect, language, voice, voiceover, music, scenes, library, footage, captions, transition, output")
    }

    @Test func anEmptyScriptFailsWithOneLine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("\n   \n\n", "empty.txt")
        let result = try await run(["make", "--script", script, "--output", folder.appendingPathComponent("e.mp4").path])
        #expect(result.status == "exit status 1")
        #expect(result.stderrTail == ["error: \(script): the script has no text; write one paragraph per scene, separated by blank lines"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("e.mp4").path))
    }

    @Test func aBadAspectIsRefusedBeforeAnyWork() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("Hello there.\n", "s.txt")
        let result = try await run(["make", "--script", script, "--aspect", "4:3"])
        #expect(!result.isSuccess)
        #expect(result.stderrTail.contains { $0.contains("--aspect must be 9:16, 16:9 or 1:1") })
    }

    @Test(.enabled(if: Fixtures.toolsAvailable)) func makeRendersAScriptAndPrintsTheReportAsJSON() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("A tiny test\n\nFirst scene here.\n\nSecond scene there.\n", "tiny.txt")
        let output = folder.appendingPathComponent("tiny.mp4")
        let saved = folder.appendingPathComponent("tiny.yaml")
        let result = try await run(["make", "--script", script, "--output", output.path, "--preset", "ultrafast", "--json", "--save-spec", saved.path])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let report = try JSONDecoder().decode(RunReport.self, from: result.stdout)
        #expect(report.title == "A tiny test")
        #expect(report.scenes.count == 2)
        #expect(report.scenes.allSatisfy { $0.footage == "generated" })
        #expect(report.video.width == 1080 && report.video.height == 1920)
        #expect(FileManager.default.fileExists(atPath: output.path))
        // Progress went to stderr as plain lines (no terminal here), never to stdout.
        #expect(result.stderrTail.contains { $0.hasPrefix("render: done") })
        // The saved spec renders the same job.
        let reloaded = try JobSpec.load(from: saved)
        #expect(reloaded.scenes.map(\.text) == ["First scene here.", "Second scene there."])
        #expect(reloaded.output.path == output)
    }

    // MARK: - The LLM writer, against the python stub server

    /// The variables that configure an LLM; the writer tests run without them.
    static let llmVariables = [
        "OPENROUTER_API_KEY", "OPENAI_API_KEY", "AISHORTS_LLM_PROVIDER", "AISHORTS_LLM_BASE_URL",
        "AISHORTS_LLM_MODEL", "AISHORTS_LLM_API_KEY", "AISHORTS_CONFIG",
    ]

    /// Runs the binary with no LLM configured by the environment (no keys, no `AISHORTS_LLM_*`, and a
    /// default config file that does not exist), so only the flags choose the provider.
    /// `environment` adds variables on top.
    func runUnconfigured(_ arguments: [String], environment: [String: String] = [:]) async throws -> ToolResult {
        let binary = try #require(Self.binary)
        let unset = Self.llmVariables.flatMap { ["-u", $0] }
        let set = (["AISHORTS_CONFIG": "\(folder.path)/no-such-config.yaml"].merging(environment) { $1 }).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try await ToolRunner(keptStderrLines: 200).run(Tool(name: "env", path: "/usr/bin/env"), arguments: unset + set + [binary] + arguments)
    }

    var cacheDir: String { folder.appendingPathComponent("cache").path }

    @Test(.enabled(if: Fixtures.toolsAvailable && StubServer.available))
    func makeWritesTheScriptWithTheLLMAndRendersIt() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let output = folder.appendingPathComponent("ants.mp4")
            let result = try await runUnconfigured([
                "make", "--topic", "ants that farm fungus", "--base-url", "\(base.absoluteString)/ok/v1",
                "--output", output.path, "--preset", "ultrafast", "--json", "--cache-dir", cacheDir,
            ])
            #expect(result.isSuccess, "\(result.stderrTail)")
            let report = try JSONDecoder().decode(RunReport.self, from: result.stdout)
            #expect(report.title == "Ants That Farm Fungus")
            #expect(report.scenes.count == 6)  // the hook, then the five written scenes
            #expect(report.video.width == 1080 && report.video.height == 1920)
            #expect(FileManager.default.fileExists(atPath: output.path))
            let writer = try #require(report.writer)
            #expect(writer.requests == 1)
            #expect(!writer.cacheHit)
            #expect(writer.model == "custom:default")
            #expect(writer.promptTokens == 120 && writer.completionTokens == 240)
            #expect(result.stderrTail.contains("writing: asking custom (default)"))
            #expect(try await requests(base).count == 1)

            // The same brief again (written, not rendered, to keep the test short) comes from the cache.
            let again = try await runUnconfigured([
                "write", "--topic", "ants that farm fungus", "--base-url", "\(base.absoluteString)/ok/v1",
                "-o", folder.appendingPathComponent("again.yaml").path, "--cache-dir", cacheDir,
            ])
            #expect(again.isSuccess, "\(again.stderrTail)")
            #expect(again.stderrTail.contains { $0.hasPrefix("writing: done") && $0.contains("from the cache, no request") }, "\(again.stderrTail)")
            #expect(try await requests(base).count == 1)
        }
    }

    @Test(.enabled(if: StubServer.available)) func writeSavesASpecThatLoadsBack() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let path = folder.appendingPathComponent("x.yaml")
            let result = try await runUnconfigured([
                "write", "--topic", "ants that farm fungus", "--base-url", "\(base.absoluteString)/ok/v1",
                "-o", path.path, "--cache-dir", cacheDir,
            ])
            #expect(result.isSuccess, "\(result.stderrTail)")
            #expect(result.stdoutText.contains("spec:") && result.stdoutText.contains("(5 scenes"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("title:  Ants That Farm Fungus"))
            let spec = try JobSpec.load(from: path)
            #expect(spec.title == "Ants That Farm Fungus")
            #expect(spec.scenes.count == 6)
            #expect(spec.scenes[0].text == "These ants have been farming for fifty million years.")
            #expect(spec.scenes[0].queries == spec.scenes[1].queries)
            #expect(spec.scenes.allSatisfy { !$0.queries.isEmpty })
            #expect(spec.output.path == folder.appendingPathComponent("x.mp4"))
            #expect(try await requests(base).count == 1)
        }
    }

    @Test(.enabled(if: StubServer.available)) func aCategoryRemembersTitlesAlreadyMade() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let arguments = ["write", "--category", "nature", "--base-url", "\(base.absoluteString)/ok/v1", "--cache-dir", cacheDir]
            let first = try await runUnconfigured(arguments + ["-o", folder.appendingPathComponent("one.yaml").path])
            #expect(first.isSuccess, "\(first.stderrTail)")
            // The stub writes the same title again, which the second run was told to avoid.
            let second = try await runUnconfigured(arguments + ["-o", folder.appendingPathComponent("two.yaml").path])
            #expect(second.status == "exit status 1")
            #expect(second.stderrTail.last?.contains("already made") == true, "\(second.stderrTail)")
            let seen = try await requests(base)
            try #require(seen.count == 3)
            let user = try #require(seen[1].body?.messages?.last { $0.role == "user" })
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(user.content.utf8)) as? [String: Any])
            #expect(payload["themes_already_made_do_not_repeat"] as? [String] == ["Ants That Farm Fungus"])
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("two.yaml").path))
        }
    }

    @Test func makeWithATopicAndNoLLMConfiguredFailsWithOneLine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("x.mp4")
        let result = try await runUnconfigured(["make", "--topic", "x", "--output", output.path, "--cache-dir", cacheDir])
        #expect(result.status == "exit status 1")
        #expect(result.stderrTail == ["error: no LLM configured: set OPENROUTER_API_KEY (or llm.base_url for a local server), or pass --script FILE"])
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test(.enabled(if: StubServer.available)) func aRefusedKeyFailsWithOneErrorLineAndNoRetry() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let output = folder.appendingPathComponent("u.mp4")
            let result = try await runUnconfigured([
                "make", "--topic", "ants that farm fungus", "--base-url", "\(base.absoluteString)/unauthorized/v1",
                "--output", output.path, "--cache-dir", cacheDir,
            ])
            #expect(result.status == "exit status 1")
            let errors = result.stderrTail.filter { $0.hasPrefix("error:") }
            #expect(errors == ["error: the provider refused the API key (401: Invalid API key); check llm.api_key"], "\(result.stderrTail)")
            #expect(result.stderrTail.last == errors.first)
            #expect(!FileManager.default.fileExists(atPath: output.path))
            #expect(try await requests(base).count == 1)
        }
    }

    @Test(.enabled(if: Fixtures.toolsAvailable && StubServer.available)) func doctorReportsThatTheLLMAnswers() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let result = try await runUnconfigured(["doctor", "--base-url", "\(base.absoluteString)/ok/v1"])
            #expect(result.isSuccess, "\(result.stdoutText) \(result.stderrTail)")
            #expect(result.stdoutText.contains("answers (1 models listed)"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("llm (custom, model default, \(base.absoluteString)/ok/v1)"))
        }
    }

    @Test(.enabled(if: StubServer.available)) func doctorFailsWhenTheKeyIsRefused() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let result = try await runUnconfigured(["doctor", "--base-url", "\(base.absoluteString)/unauthorized/v1"])
            #expect(result.status == "exit status 1")
            let line = try #require(result.stdoutText.split(separator: "\n").first { $0.contains("llm (") })
            #expect(line.hasPrefix("FAIL"))
            #expect(line.contains("refused the API key"))
        }
    }

    @Test(.enabled(if: StubServer.available)) func theProviderFlagSendsThatProvidersKey() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let result = try await runUnconfigured(
                ["write", "--provider", "openai", "--base-url", "\(base.absoluteString)/ok/v1", "--topic", "ants that farm fungus",
                 "-o", folder.appendingPathComponent("a.yaml").path, "--cache-dir", cacheDir],
                environment: ["OPENROUTER_API_KEY": "sk-or-secret", "OPENAI_API_KEY": "sk-openai"]
            )
            #expect(result.isSuccess, "\(result.stderrTail)")
            let recorded = try #require(try await requests(base).first)
            #expect(recorded.body?.response_format?.type == "json_schema")
            // OpenRouter's key must never reach another provider's endpoint.
            #expect(recorded.headers["authorization"] == "Bearer sk-openai")
        }
    }

    @Test(.enabled(if: StubServer.available)) func theProviderFlagKeepsTheConfigFilesTemperature() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withStubServer { base in
            let config = try write("llm:\n  temperature: 0.3\n", "config.yaml")
            let arguments = ["write", "--config", config, "--base-url", "\(base.absoluteString)/ok/v1", "--topic", "ants that farm fungus",
                             "-o", folder.appendingPathComponent("a.yaml").path, "--cache-dir", cacheDir, "--no-cache"]
            #expect(try await runUnconfigured(arguments).isSuccess)
            #expect(try await runUnconfigured(arguments + ["--provider", "custom"]).isSuccess)
            let temperatures = try await requests(base).map { $0.body?.temperature }
            try #require(temperatures.count == 2)
            #expect(temperatures[0] == 0.3)
            #expect(temperatures[1] == 0.3)
        }
    }

    @Test func doctorWithoutAnLLMSaysHowToConfigureOne() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await runUnconfigured(["doctor"])
        #expect(result.stdoutText.contains("--    llm (openrouter, model openai/gpt-4o-mini, https://openrouter.ai/api/v1): no LLM configured"), "\(result.stdoutText)")
    }
}

/// What the command-line tests need from the machine.
enum Fixtures {
    /// The `aishorts` binary that `swift build` / `swift test` made next to this package.
    static var binary: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".build/debug/aishorts").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Whether ffmpeg, ffprobe and espeak-ng are installed.
    static var toolsAvailable: Bool {
        (try? Tool.ffmpeg.resolved()) != nil && (try? Tool.ffprobe.resolved()) != nil && (try? Tool.espeak.resolved()) != nil
    }
}
