public import Foundation

extension JobSpec {
    /// Makes a spec from plain text: every paragraph (separated by a blank line) becomes one scene.
    ///
    /// The title is the `title` given, else the first line when it is short and ends without a full
    /// stop, else the file name. Scenes get no media: the footage stage searches the library and
    /// falls back to a generated background.
    /// - Throws: ``SpecError`` with code `emptyScript` when there is no narration text.
    public static func fromScript(
        _ text: String,
        file: String,
        title: String? = nil,
        output: URL
    ) throws(SpecError) -> JobSpec {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var paragraphs = normalized.components(separatedBy: "\n")
            .split(whereSeparator: { $0.trimmingCharacters(in: .whitespaces).isEmpty })
            .map { $0.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
        guard !paragraphs.isEmpty else {
            throw SpecError(.emptyScript, file: file, message: "the script has no text; write one paragraph per scene, separated by blank lines")
        }
        var resolvedTitle = title
        if resolvedTitle == nil, paragraphs.count > 1, let first = paragraphs.first, first.count <= 80, !Self.endsSentence(first) {
            resolvedTitle = first
            paragraphs.removeFirst()
        }
        let fallbackTitle = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return JobSpec(
            title: resolvedTitle ?? fallbackTitle,
            scenes: paragraphs.map { Scene(text: $0) },
            output: OutputSettings(path: output)
        )
    }

    /// Whether `text` ends with a sentence's final mark in any script (`.`, `。`, `！`, `؟`, `।`, …),
    /// closing quotes and brackets after it allowed (`「はい。」`).
    static func endsSentence(_ text: String) -> Bool {
        let trimmed = text.reversed().drop { closers.contains($0) }
        guard let last = trimmed.first else { return false }
        return sentenceEnds.contains(last)
    }

    private static let sentenceEnds: Set<Character> = [".", "!", "?", "…", "。", "！", "？", "．", "؟", "۔", "।", "॥", "።", "჻"]
    private static let closers: Set<Character> = ["\"", "'", ")", "]", "»", "”", "’", "」", "』", "）", "】", "〉", "》"]

    /// Loads a plain-text script file; see ``fromScript(_:file:title:output:)``.
    public static func fromScript(at file: URL, title: String? = nil, output: URL) throws(SpecError) -> JobSpec {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw SpecError(.unreadable, file: file.path, message: "cannot read the script (\(Self.reason(error)))")
        }
        return try fromScript(text, file: file.path, title: title, output: output)
    }
}
