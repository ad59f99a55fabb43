public import Foundation

/// Turns English text into phonemes for the hibari voice: a Swift port of hibari-tts 0.2.1's G2P
/// (normaliser, spaCy-rule tokenizer, perceptron tagger, misaki lexicon, OOV fallback).
///
/// Loading reads the lexicons, the tagger and the tables once; after that the value is immutable and
/// can be shared between tasks. Output matches Python's `hibari.g2p.G2P()(line)` and
/// `Hibari.phonemize(text)` character for character (see the reference test).
///
/// ```swift
/// let g2p = try HibariG2P(assets: modelDirectory, oov: try HibariOOV(assets: modelDirectory))
/// let phonemes = try g2p("Hello there.")    // "həlˈO ðˈɛɹ."
/// let chunks = try g2p.chunks(for: script)
/// ```
public final class HibariG2P: Sendable {
    let lexicon: MisakiLexicon
    let tokenizer: EnglishTokenizer
    let tagger: PerceptronTagger
    let normalizer: TextNormalizer
    let oov: (any HibariOOVReader)?
    /// Whether the British lexicon and suffix rules are in use.
    public let british: Bool

    static let linkPattern = PythonRegex(#"\[([^\]]+)\]\(([^\)]*)\)"#)

    /// Loads the G2P from hibari's asset directory.
    ///
    /// - Parameters:
    ///   - assets: the directory with `lexicon_*.json.gz`, `tagger.json.gz`, `tokenizer_exceptions.json`
    ///     and `normalize.json` (for example `.deps/models/hibari`).
    ///   - british: misaki's British lexicon and suffix rules, for the British voices.
    ///   - oov: the reader for unknown words. With nil, unknown words are silent, as with Python's
    ///     `G2P(oov=False)` (which also leaves digits and symbols inside unknown tokens unread).
    /// - Throws: ``VoiceError`` (`engineFailed`) when a file is missing or corrupt.
    public init(assets: URL, british: Bool = false, oov: (any HibariOOVReader)?) throws {
        lexicon = try MisakiLexicon(assets: assets, british: british)
        tokenizer = try EnglishTokenizer(assets: assets)
        tagger = try PerceptronTagger(assets: assets)
        normalizer = try TextNormalizer(assets: assets)
        self.oov = oov
        self.british = british
    }

    /// The tokens of one line with their phonemes (Python's `G2P.__call__` before the join).
    ///
    /// - Throws: what the OOV reader throws.
    public func phonemize(line: String) throws -> [HibariToken] {
        let tokens = try phonemizeTokens(tokenize(normalizer(line)))
        return tokens.map { HibariToken(text: $0.text, phonemes: $0.phonemes ?? "", whitespace: $0.whitespace) }
    }

    /// The phoneme string for one line (Python's `G2P()(line)`).
    ///
    /// - Throws: what the OOV reader throws.
    public func callAsFunction(_ line: String) throws -> String {
        Self.join(try phonemize(line: line))
    }

    /// KPipeline's join: phonemes with a space where the text had one, trimmed.
    static func join(_ tokens: [HibariToken]) -> String {
        var out = ""
        for token in tokens { out += token.phonemes + (token.whitespace ? " " : "") }
        return out.pyStripped
    }

    /// `G2P.tokenize`: tagged tokens; `[text](/phonemes/)` sets a token's phonemes directly.
    func tokenize(_ text: String) -> [G2PToken] {
        guard text.contains("[") else { return tokens(of: text) }
        var out: [G2PToken] = []
        var cursor = text.startIndex
        for link in Self.linkPattern.matches(in: text) {
            out += tokens(of: String(text.unicodeScalars[cursor..<link.range.lowerBound]))
            let target = Array((link.group(2) ?? "").unicodeScalars)
            var phonemes: String?
            if target.count > 1 && target.first == "/" && target.last == "/" {
                var inner = target.dropFirst()
                while inner.last == "/" { inner = inner.dropLast() }
                phonemes = EnglishTokenizer.string(inner)
            }
            out.append(
                G2PToken(
                    text: link.group(1) ?? "",
                    tag: "NN",
                    whitespace: link.nextScalar?.pyIsSpace ?? false,
                    phonemes: phonemes,
                    rating: 5
                )
            )
            cursor = link.range.upperBound
        }
        out += tokens(of: String(text.unicodeScalars[cursor...]))
        return out
    }

    private func tokens(of text: String) -> [G2PToken] {
        let pairs = tokenizer(text)
        guard !pairs.isEmpty else { return [] }
        let tags = tagger(pairs.map(\.text))
        return zip(pairs, tags).map { pair, tag in G2PToken(text: pair.text, tag: tag, whitespace: pair.whitespace) }
    }
}
