import AiShortsCore
import Foundation
import Testing

@Suite("Pipeline in other languages", .serialized, .enabled(if: Fixtures.toolsAvailable))
struct PipelineLanguageTests {
    /// One caption event: when it shows, and its highlighted word.
    struct Event {
        var start: Double
        var end: Double
        var word: String
    }

    /// The events of an ASS script, with the highlighted word of each.
    static func events(_ script: String) -> [Event] {
        script.split(separator: "\n").filter { $0.hasPrefix("Dialogue: ") }.compactMap { line in
            let fields = line.split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)
            guard fields.count == 10, let open = fields[9].range(of: "&H0000E0FF&}"),
                let close = fields[9][open.upperBound...].range(of: "{")
            else { return nil }
            return Event(start: seconds(fields[1]), end: seconds(fields[2]), word: String(fields[9][open.upperBound..<close.lowerBound]))
        }
    }

    /// The loudest sample between two times of a video's sound, 0…1, read through ffmpeg.
    static func loudness(of video: URL, fixtures: Fixtures) async throws -> @Sendable (Double, Double) -> Double {
        let pcm = try await fixtures.ffmpeg(["-i", video.path, "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"]).stdout
        let samples: [Int16] = pcm.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        return { from, to in
            let lower = max(0, Int(from * 16000)), upper = min(samples.count, Int(to * 16000))
            guard upper > lower else { return 0 }
            return Double(samples[lower..<upper].map { abs(Int($0)) }.max() ?? 0) / 32768
        }
    }

    static func seconds(_ stamp: Substring) -> Double {
        let parts = stamp.split(separator: ":").compactMap { Double($0) }
        return parts.count == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : -1
    }

    @Test func aPortugueseScriptWithAccentsAndNumbersIsCaptionedOnItsSound() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let spec = try fixtures.spec("""
            title: Promoção
            language: pt-BR
            voice: espeak:pt-br
            transition: cut
            scenes:
              - Hoje custa só R$ 9,90. Não é brincadeira!
              - Mais de 3 mil pessoas já viram esta ação.
            output: { path: promo.mp4, preset: ultrafast }
            """)
        var pipeline = fixtures.pipeline()
        pipeline.keepsCaptions = true
        let report = try await pipeline.run(Job(spec: spec))
        #expect(report.language == "pt-BR")
        #expect(report.voice == "espeak:pt-br")

        // The caption events carry the script's words, accents and all, in order.
        let script = try String(contentsOf: fixtures.url("promo.ass"), encoding: .utf8)
        #expect(script.contains("Style: Caption,Open Sans,"))
        let events = Self.events(script)
        let expected = ["Hoje", "custa", "só", "R$", "9,90", "Não", "é", "brincadeira!", "Mais", "de", "3", "mil", "pessoas", "já", "viram", "esta", "ação"]
        #expect(events.map(\.word) == expected)

        // Each word's time falls on sound: the start of every word window is loud in the video's audio.
        let peak = try await Self.loudness(of: fixtures.url("promo.mp4"), fixtures: fixtures)
        for event in events {
            let loud = peak(event.start, min(event.end, event.start + 0.25))
            #expect(loud > 0.05, "\(event.word) at \(event.start) s: peak \(loud)")
        }
        // And the gaps the narrator leaves are quiet: the audio is not simply loud everywhere.
        let afterSentence = try #require(events.first { $0.word == "brincadeira!" })
        let quiet = peak(afterSentence.end - 0.15, afterSentence.end - 0.02)
        #expect(quiet < 0.05, "the pause after the first scene has a peak of \(quiet)")
    }

    /// The events grouped into lines (the dialogue text without its tags), in order.
    static func lines(_ script: String) -> [String] {
        var lines: [String] = []
        for line in script.split(separator: "\n") where line.hasPrefix("Dialogue: ") {
            let text = String(line.split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)[9])
                .replacingOccurrences(of: #"\{[^}]*\}"#, with: "", options: .regularExpression)
            if lines.last != text { lines.append(text) }
        }
        return lines
    }

    @Test func aChineseScriptIsCaptionedByCharactersInACJKFont() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let text = "我们今天去公园散步。这里的空气很新鲜，树上的小鸟在唱歌。"
        let spec = try fixtures.spec("""
            title: 散步
            language: zh-CN
            voice: espeak:cmn
            transition: cut
            scenes: [\(text)]
            output: { path: walk.mp4, preset: ultrafast }
            """)
        var pipeline = fixtures.pipeline()
        pipeline.keepsCaptions = true
        let report = try await pipeline.run(Job(spec: spec))
        #expect(report.language == "zh-CN" && report.voice == "espeak:cmn")
        let script = try String(contentsOf: fixtures.url("walk.ass"), encoding: .utf8)
        #expect(script.contains("Style: Caption,Noto Sans CJK SC,"))
        // Dictionary words, highlighted one by one; together they are the script without its stops.
        let events = Self.events(script)
        #expect(events.count >= 10, "\(events.map(\.word))")
        #expect(events.map(\.word).joined() == text.replacingOccurrences(of: "。", with: "").replacingOccurrences(of: "，", with: ""))
        // Lines of 6 to 14 characters, joined without spaces.
        let lines = Self.lines(script)
        for line in lines {
            #expect((6...14).contains(line.count) && !line.contains(" "), "\(line)")
        }
        // Each word starts on sound.
        let peak = try await Self.loudness(of: fixtures.url("walk.mp4"), fixtures: fixtures)
        for event in events {
            let loud = peak(event.start, min(event.end, event.start + 0.25))
            #expect(loud > 0.05, "\(event.word) at \(event.start) s: peak \(loud)")
        }
    }
}
