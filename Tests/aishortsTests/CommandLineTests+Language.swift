import AiShortsCore
import Foundation
import Testing

extension CommandLineTests {
    // MARK: - --language

    @Test func aBadLanguageIsRefusedSayingWhatToWrite() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("Olá.\n", "s.txt")
        for command in [["make", "--script", script], ["write", "--topic", "formigas"]] {
            let result = try await run(command + ["--language", "portuguese"])
            #expect(!result.isSuccess)
            #expect(result.stderrTail.contains { $0.contains(#"--language: "portuguese" is not a BCP 47 language tag; write a language and an optional region, such as pt-BR, es, ja or en-US"#) },
                    "\(command[0]): \(result.stderrTail)")
        }
    }

    @Test func aVoiceOfAnotherLanguageIsRefusedBeforeAnyWork() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("Não é ação.\n", "s.txt")
        let output = folder.appendingPathComponent("s.mp4")
        let result = try await run(["make", "--script", script, "--language", "pt-BR", "--voice", "hibari:heart", "--output", output.path])
        #expect(!result.isSuccess)
        #expect(result.stderrTail.contains { $0.contains("--voice: hibari:heart speaks English, but the spec's language is pt-BR (Brazilian Portuguese)") },
                "\(result.stderrTail)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test(.enabled(if: Fixtures.toolsAvailable)) func makeWithALanguageNarratesInItAndSaysSoInTheReport() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try write("Não é ação.\n", "roteiro.txt")
        let output = folder.appendingPathComponent("roteiro.mp4")
        let saved = folder.appendingPathComponent("roteiro.yaml")
        let result = try await run(["make", "--script", script, "--language", "pt-BR", "--voice", "espeak:pt-br", "--output", output.path,
                                    "--preset", "ultrafast", "--json", "--save-spec", saved.path])
        #expect(result.isSuccess, "\(result.stderrTail)")
        let report = try JSONDecoder().decode(RunReport.self, from: result.stdout)
        #expect(report.language == "pt-BR" && report.voice == "espeak:pt-br")
        #expect(try JobSpec.load(from: saved).language.description == "pt-BR")
    }
}
