import Foundation
import Testing

@testable import AiShortsCore

/// The Swift WordPiece tokenizer against PyPI `tokenizers` loading the model's own `tokenizer.json`
/// (both from `make bootstrap`: `.deps/venv`, `.deps/models/embedding/all-MiniLM-L6-v2`).
@Suite("BertTokenizer")
struct BertTokenizerTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent(".deps/models/embedding/all-MiniLM-L6-v2")

    /// Hand-picked hard cases: accents, CJK, scripts without spaces, emoji, control and format
    /// characters, punctuation of every kind, long words and long texts.
    static let handPicked: [String] = [
        "", "   ", "a", "Hello, world!", "The quick brown fox jumps over the lazy dog.", "don't STOP believin'",
        "naïve café résumé", "Crème brûlée à la carte", "Ærøskøbing", "Straße", "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΟΦΙΑ", "İstanbul ǅemal",
        "e\u{301}cole", "a\u{308}\u{301} stacked marks", "Привет, мир", "こんにちは世界", "東京タワーの夜景", "한국어 텍스트",
        "مرحبا بالعالم", "שלום עולם", "हिन्दी पाठ", "ภาษาไทย", "x²+y²=z²", "½ cup of ⅓", "Ⅻ roman", "ﬁne ﬂour",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ\u{3000}ｓｐａｃｅ", "emoji 🚀🌕✨", "family 👨‍👩‍👧‍👦", "flags 🇺🇸🇯🇵", "text🙂ok", "🎬🎥",
        "zero\u{200B}width", "soft\u{00AD}hyphen", "control\u{7}bell", "nbsp\u{A0}space", "tabs\tand\nnewlines\r\nhere",
        "NUL\u{0}char", "replacement\u{FFFD}char", "private\u{E000}use", "bidi\u{202E}override", "\u{FEFF}bom first",
        "C++ and C#", "e-mail me at foo@bar.com", "http://example.com/path?q=1&r=2", "#hashtag @mention $100 50%",
        "under_score and hyphen-ated", "tilde~caret^backtick`pipe|", "«guillemets» „quotes“ ‘single’", "em—dash – en",
        "…ellipsis", "¿Qué? ¡Sí!", "3.14159 and 1,000,000", "4K 60fps HDR 1080p", "Drone footage 🎥 | 4K | Stock",
        "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
        String(repeating: "x", count: 99), String(repeating: "x", count: 100), String(repeating: "x", count: 101),
        String(repeating: "é", count: 101), "unaffable unbelievably tokenization WordPiece",
        String(repeating: "aerial view of a traffic jam on a highway at rush hour, ", count: 40),
        String(repeating: "東京", count: 200), "𠀀𠀁 extension B", "\u{2B820}\u{2B920} extension boundaries",
    ]

    /// Pieces that generated strings are made of: words in several scripts and cases, punctuation, digits, emoji.
    static let pieces: [String] = [
        "ocean", "Waves", "SURFER", "riding", "swell", "leafcutter", "ants", "fungus", "traffic", "jam", "rush-hour",
        "café", "Ñandú", "über", "façade", "Zürich", "São", "Paulo", "Kraków", "Đà", "Nẵng", "naïveté", "coöperate",
        "東京", "北京", "夜景", "カメラ", "ひらがな", "서울", "Москва", "Ελλάδα", "القاهرة", "ירושלים", "मुंबई",
        "4K", "1080p", "60fps", "2024", "3.5", "100%", "$20", "#nature", "@user", "e-mail", "co-op", "it's", "U.S.A.",
        ",", ".", "!", "?", ":", ";", "(", ")", "[", "]", "{", "}", "\"", "'", "-", "—", "…", "/", "\\", "&", "*", "+",
        "=", "<", ">", "|", "~", "^", "`", "_", "§", "©", "®", "™", "°", "€", "£", "¥", "•", "·", "→",
        "🚀", "🌊", "🐜", "❤️", "👍🏽", "🇯🇵", "✨", "\u{200D}", "\u{0301}", "\u{00A0}", "\t", "\n",
        "unbelievable", "antidisestablishmentarianism", "timelapse", "drone", "aerial", "b-roll", "stock", "footage",
    ]

    /// 3,000 strings: the hand-picked ones, then strings of 1–24 pieces joined by varied separators,
    /// from a fixed seed (the same every run).
    static func corpus() -> [String] {
        var generator = SplitMix64(seed: 0x5EED_B127)
        var texts = handPicked
        let separators = [" ", " ", " ", "", "  ", "\t", "-", ", "]
        while texts.count < 3_000 {
            let count = Int.random(in: 1...24, using: &generator)
            var text = ""
            for index in 0..<count {
                if index > 0 { text += separators.randomElement(using: &generator)! }
                var piece = pieces.randomElement(using: &generator)!
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: piece = piece.uppercased()
                case 1: piece = piece.capitalized
                default: break
                }
                text += piece
            }
            texts.append(text)
        }
        return texts
    }

    /// PyPI `tokenizers` with the model's `tokenizer.json`: no padding, truncation at 256 (the model's
    /// `max_seq_length`), `[CLS]` and `[SEP]` added.
    static let script = """
        import json, sys
        from tokenizers import Tokenizer
        tokenizer = Tokenizer.from_file(sys.argv[2])
        tokenizer.no_padding()
        tokenizer.enable_truncation(256)
        texts = json.load(open(sys.argv[1], encoding="utf-8"))
        json.dump([encoding.ids for encoding in tokenizer.encode_batch(texts)], sys.stdout)
        """

    static func reference(_ texts: [String]) async throws -> [[Int]] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-bert-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONEncoder().encode(texts).write(to: input)
        let result = try await TinyClip.python(["-c", script, input.path, folder.appendingPathComponent("tokenizer.json").path])
        return try JSONDecoder().decode([[Int]].self, from: result.stdout)
    }

    @Test("gives PyPI tokenizers' ids for 3,000 varied strings, from vocab.txt")
    func matchesReference() async throws {
        let texts = Self.corpus()
        let reference = try await Self.reference(texts)
        let tokenizer = try BertTokenizer(vocabularyFile: Self.folder.appendingPathComponent("vocab.txt"))
        #expect(tokenizer.vocabularySize == 30_522 && tokenizer.classToken == 101 && tokenizer.separatorToken == 102)
        #expect(reference.count == texts.count)
        var mismatches = 0
        for (text, expected) in zip(texts, reference) {
            let ids = tokenizer.tokens(for: text).ids
            if ids != expected {
                mismatches += 1
                if mismatches <= 10 { Issue.record("\(text.debugDescription): \(ids) != \(expected)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("[CLS] and [SEP] wrap the pieces; long texts are cut to 256 ids, [SEP] kept; unknown words are one [UNK]")
    func layout() throws {
        let tokenizer = try BertTokenizer(vocabularyFile: Self.folder.appendingPathComponent("vocab.txt"))
        let empty = tokenizer.tokens(for: "")
        #expect(empty.ids == [101, 102] && !empty.truncated)
        let long = tokenizer.tokens(for: String(repeating: "moon ", count: 1_000))
        #expect(long.ids.count == 256 && long.ids.first == 101 && long.ids.last == 102 && long.truncated)
        #expect(tokenizer.encode("🚀🚀 rocket") == [tokenizer.unknownToken, tokenizer.encode("rocket")[0]])
        #expect(tokenizer.encode("unaffable").count > 1)
    }

    @Test("a vocabulary without BERT's special tokens is refused with one line")
    func refusesForeignVocabulary() {
        #expect {
            _ = try BertTokenizer(vocabulary: ["a": 0])
        } throws: { error in
            (error as? RelevanceError)?.code == .badTokenizer && !"\(error)".contains("\n")
        }
        #expect(throws: RelevanceError.self) { _ = try BertTokenizer(vocabularyFile: URL(fileURLWithPath: "/nonexistent/vocab.txt")) }
    }
}

/// A small seeded generator, so generated test strings are the same every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
