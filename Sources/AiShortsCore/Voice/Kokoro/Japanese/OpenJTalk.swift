public import Foundation

/// Japanese text analysis by Open JTalk (Debian's `open_jtalk`), run as a process.
///
/// For each sentence, open_jtalk's trace (`-ot`) lists the morphemes after its text processing
/// (MeCab with the NAIST dictionary, then number reading, pronunciation and accent rules): the surface
/// form, the part of speech, the reading and the pronunciation in katakana, the accent, and whether
/// the morpheme joins the accent phrase before it. Only that analysis is used; open_jtalk also
/// synthesises speech with an HTS voice, which it cannot run without, so one is given and its audio
/// thrown away. open_jtalk reads only the first line of its input, of at most 1,024 bytes, so text
/// goes one sentence (``maximumBytes`` at most) per run.
public struct OpenJTalk: Sendable {
    /// One morpheme of open_jtalk's analysis.
    public struct Morpheme: Sendable, Hashable {
        /// The text as analysed (open_jtalk widens ASCII to full-width forms and writes digits as kanji).
        public var surface: String
        /// Part of speech (`名詞`, `助詞`, `記号`, …).
        public var partOfSpeech: String
        /// Its first subdivision (`数` for a numeral, `接尾` for a suffix, `非自立`, `読点`, …).
        public var detail: String
        /// How it is pronounced, in katakana (`トーキョー`, `ワ` for the particle は); accent marks removed.
        public var pronunciation: String
        /// Whether it joins the accent phrase before it (open_jtalk's chain flag is 1).
        public var joinsPrevious: Bool

        /// Creates a morpheme.
        public init(surface: String, partOfSpeech: String, detail: String, pronunciation: String, joinsPrevious: Bool) {
            self.surface = surface
            self.partOfSpeech = partOfSpeech
            self.detail = detail
            self.pronunciation = pronunciation
            self.joinsPrevious = joinsPrevious
        }

        /// Whether this is punctuation or another symbol that is not read out: a `記号` without kana
        /// in its pronunciation (open_jtalk gives letters of the alphabet, `記号,アルファベット`, a reading).
        public var isSymbol: Bool {
            partOfSpeech == "記号" && !pronunciation.unicodeScalars.contains { (0x30A1...0x30FA).contains($0.value) }
        }
    }

    /// The longest sentence open_jtalk takes, in UTF-8 bytes (its buffer is 1,024 with the newline).
    public static let maximumBytes = 1_000

    /// The open_jtalk program.
    public var tool: Tool
    /// The MeCab dictionary folder (Debian's `open-jtalk-mecab-naist-jdic`).
    public var dictionary: URL
    /// The HTS voice open_jtalk insists on.
    public var voice: URL

    /// Debian's dictionary folder.
    public static let debianDictionary = URL(fileURLWithPath: "/var/lib/mecab/dic/open-jtalk/naist-jdic", isDirectory: true)

    /// Creates the analyser.
    public init(tool: Tool = .openJTalk, dictionary: URL = OpenJTalk.debianDictionary, voice: URL) {
        self.tool = tool
        self.dictionary = dictionary
        self.voice = voice
    }

    /// The morphemes of `sentence` (one line, at most ``maximumBytes`` bytes).
    ///
    /// - Throws: ``VoiceError``: `engineMissing` when open_jtalk, its dictionary or the HTS voice is
    ///   missing; `engineFailed` when it fails (with its stderr); `CancellationError`.
    public func analyze(_ sentence: String) async throws -> [Morpheme] {
        let line = sentence.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        guard FileManager.default.fileExists(atPath: dictionary.appendingPathComponent("sys.dic").path) else {
            throw VoiceError(.engineMissing, "open_jtalk's dictionary is not in \(dictionary.path); run `make bootstrap` or `apt-get install open-jtalk-mecab-naist-jdic`")
        }
        guard FileManager.default.fileExists(atPath: voice.path) else {
            throw VoiceError(.engineMissing, "open_jtalk's HTS voice \(voice.path) is missing; run `make bootstrap`")
        }
        // The text goes through a file (as for espeak-ng): a process that exits early cannot raise SIGPIPE here.
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-jtalk-\(UUID().uuidString).txt")
        do { try Data((line + "\n").utf8).write(to: input) } catch {
            throw VoiceError(.engineFailed, "cannot write a temporary file in \(input.deletingLastPathComponent().path); check the temporary folder")
        }
        defer { try? FileManager.default.removeItem(at: input) }
        let result: ToolResult
        do {
            // `-r 5`: the unused speech is made five times faster, which cuts open_jtalk's CPU time by
            // about two thirds; the text analysis in the trace is the same at any rate.
            result = try await ToolRunner().run(tool, arguments: ["-x", dictionary.path, "-m", voice.path, "-r", "5.0", "-ot", "/dev/stdout", input.path])
        } catch let error as ToolError {
            throw VoiceError(.engineMissing, "Japanese voices need open_jtalk, which could not be run (\(error.reason)); run `make bootstrap` or `apt-get install open-jtalk open-jtalk-mecab-naist-jdic`")
        }
        guard result.isSuccess else {
            throw VoiceError(.engineFailed, "open_jtalk failed (\(result.status)): \(result.lastError)", stderrTail: result.stderrTail)
        }
        return Self.morphemes(inTrace: String(decoding: result.stdout, as: UTF8.self))
    }

    /// The morphemes listed under `[Text analysis result]` in an open_jtalk trace.
    ///
    /// Each line is `surface,pos,pos1,pos2,pos3,ctype,cform,base,reading,pronunciation,accent/morae,chain rule,chain flag`
    /// (open_jtalk widens ASCII, so a comma in the text is `，` and never splits a field).
    public static func morphemes(inTrace trace: String) -> [Morpheme] {
        var morphemes: [Morpheme] = []
        var inAnalysis = false
        for line in trace.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") {
                inAnalysis = line == "[Text analysis result]"
                continue
            }
            guard inAnalysis, !line.isEmpty else { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 13 else { continue }
            let tail = fields.suffix(12).map { $0 }
            let surface = fields.dropLast(12).joined(separator: ",")
            let pronunciation = tail[8].filter { $0 != "’" && $0 != "'" }
            morphemes.append(Morpheme(surface: surface, partOfSpeech: tail[0], detail: tail[1],
                                      pronunciation: pronunciation == "*" ? "" : pronunciation,
                                      joinsPrevious: tail[11] == "1"))
        }
        return morphemes
    }
}

extension Tool {
    /// open_jtalk, overridable with `AISHORTS_OPEN_JTALK`.
    public static var openJTalk: Tool { .fromEnvironment("open_jtalk") }
}
