import AiShortsCore
import AiShortsTestSupport
import Foundation
import Testing

/// `aishorts voices`, run as a separate process so that its memory figures are its own.
@Suite("aishorts voices", .serialized, .enabled(if: Fixtures.binary != nil))
struct VoicesCommandTests {
    struct Entry: Decodable {
        struct Cycle: Decodable {
            var audioSeconds: Double
            var words: Int
            var models: [ModelUsage]
            var rssBeforeBytes: Int
            var rssLoadedBytes: Int
            var rssAfterReleaseBytes: Int
            var heapBeforeBytes: Int
            var heapLoadedBytes: Int
            var heapAfterReleaseBytes: Int
        }
        struct Check: Decodable {
            var first: Cycle
            var again: Cycle
        }
        var voice: String
        var engine: String
        var check: Check?
    }

    func voices(_ arguments: [String]) async throws -> ToolResult {
        let binary = try #require(Fixtures.binary)
        return try await ToolRunner(keptStderrLines: 200).run(Tool(name: "aishorts", path: binary), arguments: ["voices"] + arguments)
    }

    @Test("lists hibari (the default), the Piper voice, the Kokoro voices and espeak-ng, with their languages")
    func lists() async throws {
        let result = try await voices([])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let text = result.stdoutText
        #expect(text.contains("hibari:heart"), "run `make bootstrap` to install the voices")
        #expect(text.contains("piper:en_US-joe-medium"))
        #expect(text.contains("kokoro:jf_alpha") && text.contains("[ja]"))
        #expect(text.contains("espeak:en-us"))
    }

    @Test("--language keeps the voices that speak it, and espeak-ng's voice for it")
    func byLanguage() async throws {
        let japanese = try await voices(["--language", "ja", "--json"])
        #expect(japanese.isSuccess, "\(japanese.stderrTail)")
        let listed = try JSONDecoder().decode([Entry].self, from: japanese.stdout).map(\.voice)
        #expect(listed.first == "kokoro:jf_alpha" && listed.last == "espeak:ja" && !listed.contains("hibari:heart"), "\(listed)")
        let portuguese = try await voices(["--language", "pt-BR"])
        #expect(portuguese.stdoutText.contains("espeak:pt-br") && !portuguese.stdoutText.contains("kokoro:"))
        let bad = try await voices(["--language", "not a tag"])
        #expect(!bad.isSuccess)
    }

    @Test("each neural voice loads once, speaks, and after release RSS is within 30 MB of before the load")
    func checkReleasesMemory() async throws {
        let result = try await voices(["--check", "--json"])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let entries = try JSONDecoder().decode([Entry].self, from: result.stdout)
        // Kokoro's voices share one model: one per language is checked.
        let neural = entries.filter { $0.engine != "espeak" && ($0.engine != "kokoro" || $0.check != nil) }
        #expect(neural.map(\.voice).contains("hibari:heart"))
        #expect(neural.filter { $0.engine == "kokoro" }.map(\.voice) == ["kokoro:jf_alpha"])
        for entry in neural {
            let check = try #require(entry.check, "\(entry.voice) was not checked")
            for cycle in [check.first, check.again] {
                #expect(cycle.audioSeconds > 1, "\(entry.voice) spoke")
                // The English sentence has 14 words; a Japanese voice speaks a Japanese sentence of its own.
                #expect(entry.engine == "kokoro" ? cycle.words >= 5 : cycle.words == 14, "\(entry.voice): \(cycle.words) words")
                #expect(cycle.models.allSatisfy { $0.loads == 1 && $0.releases == 1 }, "\(entry.voice): \(cycle.models)")
                #expect(cycle.rssLoadedBytes > cycle.rssBeforeBytes + 8 << 20, "\(entry.voice): loading took memory")
            }
            // First use in a process: the heap comes back; file-backed pages of the libraries used for
            // the first time (ONNX Runtime's code, ICU's tables) stay mapped, so total RSS is checked on
            // the second cycle, where they are already there.
            let heapLeft = check.first.heapAfterReleaseBytes - check.first.heapBeforeBytes
            #expect(heapLeft < 30 << 20, "\(entry.voice): \(heapLeft >> 20) MB of heap left after the first release")
            let left = check.again.rssAfterReleaseBytes - check.again.rssBeforeBytes
            #expect(left < 30 << 20, "\(entry.voice): \(left >> 20) MB still resident after release")
        }
    }
}
