public import Foundation

extension JobSpec {
    /// The spec as YAML in the format ``load(from:)`` reads, with absolute paths.
    ///
    /// Used to save a generated spec so a person can edit it and render it later. Without
    /// `includingOutputPath`, `output` keeps only the encoder settings (a server chooses the path).
    public func yaml(includingOutputPath: Bool = true) -> String {
        var out = "title: \(Self.quote(title))\naspect: \(Self.quote(aspect.rawValue))\n"
        if language != .english { out += "language: \(Self.quote(language.description))\n" }
        if let voice { out += "voice: { name: \(Self.quote(voice.description)), speed: \(voice.speed) }\n" }
        if let voiceover {
            out += "voiceover:\n  audio: \(Self.quote(voiceover.audio.path))\n  words: \(Self.quote(voiceover.words.path))\n"
        }
        if let music { out += "music: { file: \(Self.quote(music.file.path)), volume: \(music.volume) }\n" }
        if !library.isEmpty { out += "library: [\(library.map { Self.quote($0.path) }.joined(separator: ", "))]\n" }
        if footage != FootageSettings() {
            var fields = ["sources: [\(footage.sources.map(Self.quote).joined(separator: ", "))]",
                          "shot_seconds: \(footage.shotSeconds)", "max_shots: \(footage.maxShots)"]
            if let clip = footage.clip { fields.append("clip: \(Self.quote(clip))") }
            out += "footage: { \(fields.joined(separator: ", ")) }\n"
        }
        out += "captions: { enabled: \(captions.enabled), words_per_line: \(captions.maxWordsPerLine), font: \(Self.quote(captions.font)) }\n"
        switch transition {
        case .cut: out += "transition: cut\n"
        case .fade(let seconds): out += "transition: { fade: \(seconds) }\n"
        case .crossfade(let seconds): out += "transition: { crossfade: \(seconds) }\n"
        }
        out += "scenes:\n"
        for scene in scenes {
            out += "  - text: \(Self.quote(scene.text))\n"
            if !scene.media.isEmpty { out += "    media: [\(scene.media.map { Self.quote($0.path) }.joined(separator: ", "))]\n" }
            if !scene.queries.isEmpty { out += "    queries: [\(scene.queries.map(Self.quote).joined(separator: ", "))]\n" }
            if !scene.localQueries.isEmpty {
                out += "    local_queries: [\(scene.localQueries.map(Self.quote).joined(separator: ", "))]\n"
            }
        }
        let path = includingOutputPath ? "path: \(Self.quote(output.path.path)), " : ""
        out += "output: { \(path)preset: \(output.preset), fps: \(output.fps), crf: \(output.crf) }\n"
        return out
    }

    /// A double-quoted YAML scalar (JSON string syntax is valid YAML).
    static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
