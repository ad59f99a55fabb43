import Foundation

/// Writes captions as an ASS subtitle script for libass, with word-by-word (karaoke) highlighting.
///
/// Each line becomes one event per word: the whole line is shown, and the word being spoken is drawn in
/// the highlight colour. Events abut exactly (times are rounded the same way at both ends), so the line
/// never flickers between words. Words are joined by the style's separator (nothing for Japanese,
/// Chinese and Thai). Right-to-left lines are written in logical order, like any other: the style's
/// encoding -1 makes libass find the base direction from the text (fribidi), and because the colour
/// tags wrap whole words, the highlight stays on the spoken word after reordering.
public enum ASSSubtitles {
    /// The ASS script for `lines` on a frame of `width` x `height`.
    public static func script(lines: [CaptionLine], style: CaptionStyle, width: Int, height: Int) -> String {
        var out = """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: \(width)
            PlayResY: \(height)
            WrapStyle: 2
            ScaledBorderAndShadow: yes
            YCbCr Matrix: TV.709

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
            Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, \
            MarginR, MarginV, Encoding
            Style: Caption,\(style.font),\(style.fontSize),\(style.textColor),\(style.highlightColor),&H00000000,&H96000000,\
            -1,0,0,0,100,100,0,0,1,\(style.outline),\(style.shadow),2,\(style.marginSide),\(style.marginSide),\
            \(style.marginBottom),\(style.rightToLeft ? -1 : 1)

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """
        for line in lines {
            for (index, word) in line.words.enumerated() {
                let start = index == 0 ? line.start : word.start
                let end = index + 1 < line.words.count ? line.words[index + 1].start : line.end
                guard end > start else { continue }
                let text = line.words.enumerated().map { other in
                    let shown = escape(CaptionLine.display(other.element.text))
                    return other.offset == index ? "{\\c\(style.highlightColor)&}\(shown){\\c\(style.textColor)&}" : shown
                }.joined(separator: style.wordSeparator)
                out += "Dialogue: 0,\(timestamp(start)),\(timestamp(end)),Caption,,0,0,0,,\(text)\n"
            }
        }
        return out
    }

    /// `h:mm:ss.cc`, rounded to the nearest centisecond.
    public static func timestamp(_ seconds: Double) -> String {
        let centiseconds = max(Int((seconds * 100).rounded()), 0)
        let h = centiseconds / 360_000
        let m = centiseconds / 6000 % 60
        let s = centiseconds / 100 % 60
        let cs = centiseconds % 100
        return "\(h):" + pad(m) + ":" + pad(s) + "." + pad(cs)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Text safe inside an ASS event: override braces and backslashes would be read as tags.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "/").replacingOccurrences(of: "{", with: "(")
            .replacingOccurrences(of: "}", with: ")")
    }
}
