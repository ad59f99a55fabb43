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

    @Test("lists hibari (the default), the Piper voice and espeak-ng")
    func lists() async throws {
        let result = try await voices([])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let text = result.stdoutText
        #expect(text.contains("hibari:heart"), "run `make bootstrap` to install the voices")
        #expect(text.contains("piper:en_US-joe-medium"))
        #expect(text.contains("espeak:en-us"))
    }

    @Test("each neural voice loads once, speaks, and after release RSS is within 30 MB of before the load")
    func checkReleasesMemory() async throws {
        let result = try await voices(["--check", "--json"])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let entries = try JSONDecoder().decode([Entry].self, from: result.stdout)
        let neural = entries.filter { $0.engine != "espeak" }
        #expect(neural.map(\.voice).contains("hibari:heart"))
        for entry in neural {
            let check = try #require(entry.check, "\(entry.voice) was not checked")
            for cycle in [check.first, check.again] {
                #expect(cycle.audioSeconds > 1, "\(entry.voice) spoke")
                #expect(cycle.words == 14)
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
