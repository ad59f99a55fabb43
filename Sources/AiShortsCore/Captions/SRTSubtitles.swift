public import Foundation

/// SRT captions from the ASS script the renderer burns in, for players and upload sites that take
/// a caption file rather than burnt-in text.
public enum SRTSubtitles {
    /// Converts an ASS script: each `Dialogue` line's text without its style tags; consecutive
    /// lines with the same text (the per-word highlight steps of one caption) become one cue.
    public static func convert(ass: String) -> String {
        var cues: [(start: Double, end: Double, text: String)] = []
        for line in ass.split(whereSeparator: \.isNewline) where line.hasPrefix("Dialogue:") {
            let fields = line.dropFirst("Dialogue:".count).split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)
            guard fields.count == 10, let start = seconds(fields[1]), let end = seconds(fields[2]) else { continue }
            let text = stripTags(String(fields[9])).replacingOccurrences(of: "\\N", with: "\n").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            if let last = cues.last, last.text == text, abs(last.end - start) < 0.05 {
                cues[cues.count - 1].end = end
            } else {
                cues.append((start, end, text))
            }
        }
        return cues.enumerated().map { index, cue in
            "\(index + 1)\n\(timestamp(cue.start)) --> \(timestamp(cue.end))\n\(cue.text)\n"
        }.joined(separator: "\n")
    }

    private static func stripTags(_ text: String) -> String {
        var out = ""
        var depth = 0
        for character in text {
            if character == "{" { depth += 1 } else if character == "}" { depth = max(0, depth - 1) } else if depth == 0 { out.append(character) }
        }
        return out
    }

    /// `H:MM:SS.cc` in seconds.
    static func seconds(_ field: Substring) -> Double? {
        let parts = field.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 3, let hours = Double(parts[0]), let minutes = Double(parts[1]), let rest = Double(parts[2]) else { return nil }
        return hours * 3600 + minutes * 60 + rest
    }

    /// `HH:MM:SS,mmm`.
    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        return String(format: "%02d:%02d:%02d,%03d", milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60, milliseconds % 1000)
    }
}
