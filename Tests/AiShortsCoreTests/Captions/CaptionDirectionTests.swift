import AiShortsCore
import Foundation
import Testing

/// Captions drawn by libass (through ffmpeg), read back as pixels.
@Suite("Right-to-left captions on screen", .serialized, .enabled(if: Fixtures.toolsAvailable))
struct CaptionDirectionTests {
    static let width = 540
    static let height = 960

    /// One RGB frame of `script` drawn on black at `time`.
    static func frame(_ script: String, at time: Double, fixtures: Fixtures, name: String) async throws -> [UInt8] {
        let file = fixtures.url("\(name).ass")
        try Data(script.utf8).write(to: file)
        return [UInt8](try await fixtures.ffmpeg([
            "-f", "lavfi", "-i", "color=c=black:s=\(width)x\(height):r=10:d=4", "-vf", "ass=filename=\(file.path)",
            "-ss", String(time), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
        ]).stdout)
    }

    /// The mean x of the highlighted (yellow) and the plain (white) text pixels.
    static func centres(_ pixels: [UInt8]) -> (highlight: Double, plain: Double)? {
        var yellow = (sum: 0, count: 0), white = (sum: 0, count: 0)
        for index in stride(from: 0, to: pixels.count - 2, by: 3) {
            let (r, g, b) = (Int(pixels[index]), Int(pixels[index + 1]), Int(pixels[index + 2]))
            let x = index / 3 % width
            if r > 200, g > 150, b < 90 { yellow = (yellow.sum + x, yellow.count + 1) }
            if r > 200, g > 200, b > 200 { white = (white.sum + x, white.count + 1) }
        }
        guard yellow.count > 50, white.count > 50 else { return nil }
        return (Double(yellow.sum) / Double(yellow.count), Double(white.sum) / Double(white.count))
    }

    /// The captions of `words`, one second each, styled for `language`.
    static func script(_ words: [String], language: String) throws -> String {
        let timed = words.enumerated().map { TimedWord(text: $1, start: Double($0), end: Double($0) + 0.9) }
        let style = CaptionStyle(width: width, height: height, language: try #require(LanguageTag(language)))
        let lines = CaptionLine.group(timed, maxWords: 3, style: style)
        try #require(lines.count == 1)
        return ASSSubtitles.script(lines: lines, style: style, width: width, height: height)
    }

    static let arabic = ["مرحبا", "يا", "عالم"]

    @Test func anArabicLineRunsRightToLeftWithTheSpokenWordHighlighted() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let script = try Self.script(Self.arabic, language: "ar")
        // While the first word is spoken, the highlight is right of the rest; while the last is, left of it.
        let first = try #require(Self.centres(try await Self.frame(script, at: 0.5, fixtures: fixtures, name: "first")))
        #expect(first.highlight > first.plain + 20, "first word at x \(first.highlight), the rest at \(first.plain)")
        let last = try #require(Self.centres(try await Self.frame(script, at: 2.5, fixtures: fixtures, name: "last")))
        #expect(last.highlight < last.plain - 20, "last word at x \(last.highlight), the rest at \(last.plain)")
        // An English line is the mirror image: its first word is on the left.
        let english = try Self.script(["Hello", "big", "world"], language: "en-US")
        let latin = try #require(Self.centres(try await Self.frame(english, at: 0.5, fixtures: fixtures, name: "latin")))
        #expect(latin.highlight < latin.plain - 20)
    }

    @Test func theLineLooksLikeItsWordsReversedAndDrawnLeftToRight() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // The line ends with "!": in a right-to-left paragraph it is drawn at the left end, which is
        // what the style's encoding -1 (libass finds the base direction) gets right.
        let words = ["مرحبا", "يا", "عالم"]
        let rtl = try Self.script([words[0], words[1], words[2] + "!"], language: "ar")
        // By hand: "!" first, then the words in reverse order, each isolated (U+2066 … U+2069), in a
        // left-to-right line (encoding 1), the first word spoken (now the last) highlighted.
        let header = try #require(rtl.components(separatedBy: "Dialogue: ").first).replacingOccurrences(of: ",-1\n", with: ",1\n")
        #expect(header != rtl.components(separatedBy: "Dialogue: ").first, "the right-to-left style has encoding -1")
        let isolated = words.map { "\u{2066}\($0)\u{2069}" }
        let line = "!\(isolated[2]) \(isolated[1]) {\\c&H0000E0FF&}\(isolated[0]){\\c&H00FFFFFF&}"
        let ltr = header + "Dialogue: 0,0:00:00.00,0:00:03.00,Caption,,0,0,0,,\(line)\n"
        let a = try await Self.frame(rtl, at: 0.5, fixtures: fixtures, name: "rtl")
        let b = try await Self.frame(ltr, at: 0.5, fixtures: fixtures, name: "ltr")
        try #require(a.count == b.count && !a.isEmpty)
        let lit = a.indices.filter { a[$0] > 128 }.count
        let differing = a.indices.filter { abs(Int(a[$0]) - Int(b[$0])) > 64 }.count
        #expect(lit > 1000, "the caption was drawn")
        #expect(Double(differing) < Double(lit) * 0.05, "\(differing) of \(lit) lit values differ")
        // With a left-to-right base direction the "!" would be at the other end: the frames differ.
        let forcedLTR = try await Self.frame(rtl.replacingOccurrences(of: ",-1\n", with: ",1\n"), at: 0.5, fixtures: fixtures, name: "forced")
        let moved = a.indices.filter { abs(Int(a[$0]) - Int(forcedLTR[$0])) > 64 }.count
        #expect(moved > 200, "only \(moved) values changed with the base direction forced left to right")
    }
}
