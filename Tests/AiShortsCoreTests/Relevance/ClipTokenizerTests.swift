import Foundation
import Testing

@testable import AiShortsCore

/// The Swift tokenizer against OpenAI's `simple_tokenizer.py` (run from `.deps/reference/clip`), and
/// the same ids from the Hugging Face `tokenizer.json` of the common export.
@Suite("ClipTokenizer")
struct ClipTokenizerTests {
    static let texts: [String] = [
        "a red picture", "A photo of a cat.", "Hello, world!", "The quick brown fox jumps over the lazy dog",
        "it's", "they're here", "we've been", "I'm fine", "you'll see", "he'd go", "don't", "DON'T STOP",
        "O'Neil's dog's bone", "'tis the season", "rock'n'roll", "3.14159", "1,000,000 dollars", "the year 2024",
        "mixed 123abc456", "e-mail me at foo@bar.com", "C++ and C#", "http://example.com/path?q=1&r=2",
        "#hashtag @mention", "under_score and hyphen-ated", "CamelCaseWords", "tilde~caret^backtick`",
        "!!!???...", "smile :-) ;-)", "naïve café résumé", "Crème brûlée", "Ærøskøbing", "Straße",
        "e\u{301}cole (a decomposed accent)", "a\u{308}\u{301} stacked marks", "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΟΦΙΑ",
        "Привет, мир", "こんにちは世界", "東京タワーの夜景", "한국어 텍스트", "مرحبا بالعالم", "שלום עולם",
        "हिन्दी पाठ", "٣٤٥ arabic digits", "x²+y²=z²", "½ cup of ⅓", "Ⅻ roman numeral", "İstanbul",
        "ǅemal", "emoji 🚀🌕✨", "family 👨‍👩‍👧‍👦", "flags 🇺🇸🇯🇵", "text🙂ok",
        "   leading and trailing spaces   ", "tabs\tand\nnewlines\r\nhere", "multiple     spaces", "", "   ",
        "&amp; &lt;tag&gt; &quot;quoted&quot; &#39;apostrophe&#39;", "fish &amp;amp; chips", "5 &lt; 6 <b>",
        "\u{201C}curly quotes\u{201D} and \u{2018}single\u{2019}", "ﬁne ﬂour", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ\u{3000}ｓｐａｃｅ",
        "<|startoftext|>special<|endoftext|>", "zero\u{200B}width", "control\u{7}bell", "nbsp\u{A0}space",
        "supercalifragilisticexpialidocious", "antidisestablishmentarianism", "rocket launch at dawn over the sea",
        String(repeating: "a very long narration about rockets and the moon, ", count: 30),
    ]

    /// Python's ids: `encode` (no start/end) and the 77-id context as `clip.tokenize(truncate=True)` builds it.
    static let script = """
        import importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("simple_tokenizer", sys.argv[2] + "/simple_tokenizer.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tokenizer = module.SimpleTokenizer(sys.argv[2] + "/bpe_simple_vocab_16e6.txt.gz")
        sot, eot = tokenizer.encoder["<|startoftext|>"], tokenizer.encoder["<|endoftext|>"]
        out = {"encode": [], "context": []}
        for text in json.load(open(sys.argv[1], encoding="utf-8")):
            ids = tokenizer.encode(text)
            tokens = ([sot] + ids + [eot])[:77]
            tokens[-1] = eot
            out["encode"].append(ids)
            out["context"].append(tokens + [0] * (77 - len(tokens)))
        json.dump(out, sys.stdout)
        """

    struct Reference: Decodable {
        var encode: [[Int]]
        var context: [[Int]]
    }

    static func reference(for texts: [String]) async throws -> Reference {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-clip-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONEncoder().encode(texts).write(to: input)
        let result = try await TinyClip.python(["-c", script, input.path, TinyClip.reference.path])
        return try JSONDecoder().decode(Reference.self, from: result.stdout)
    }

    @Test("gives OpenAI's reference ids for 70 varied texts, from the vocabulary file")
    func matchesReference() async throws {
        #expect(Self.texts.count >= 50)
        let reference = try await Self.reference(for: Self.texts)
        let tokenizer = try ClipTokenizer(contentsOf: TinyClip.vocabulary)
        #expect(tokenizer.vocabularySize == 49_408 && tokenizer.startToken == 49_406 && tokenizer.endToken == 49_407)
        for (index, text) in Self.texts.enumerated() {
            #expect(tokenizer.encode(text) == reference.encode[index], "encode(\(text.debugDescription))")
            let tokens = tokenizer.tokens(for: text)
            #expect(tokens.ids == reference.context[index], "context of \(text.debugDescription)")
        }
    }

    @Test("a tokenizer.json built from the vocabulary as Hugging Face does gives the same ids", arguments: ["strings", "pairs"])
    func huggingFaceFileMatches(merges: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-clip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TinyClip.make(folder, ["--tokenizer-only", "--merges", merges])
        let fromJSON = try ClipTokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        let fromVocabulary = try ClipTokenizer(contentsOf: TinyClip.vocabulary)
        #expect(fromJSON.vocabularySize == fromVocabulary.vocabularySize)
        for text in Self.texts {
            #expect(fromJSON.encode(text) == fromVocabulary.encode(text), "encode(\(text.debugDescription))")
        }
        // Hugging Face's CLIP tokenizers pad with the end token (tokenizer_config.json's pad_token here).
        #expect(fromJSON.padToken == 49_407)
        #expect(fromVocabulary.padToken == 0)
    }

    @Test("the context is start, words, end, padding; long texts keep the end token; the mask covers the real tokens")
    func contextLayout() throws {
        let tokenizer = try ClipTokenizer(contentsOf: TinyClip.vocabulary)
        let short = tokenizer.tokens(for: "a red picture")
        #expect(short.ids.count == 77 && short.length == 5)
        #expect(short.ids.prefix(5) == [49_406, 320, 736, 1_674, 49_407])
        #expect(short.ids.suffix(72).allSatisfy { $0 == 0 })
        #expect(short.attentionMask == Array(repeating: 1, count: 5) + Array(repeating: 0, count: 72))
        let long = tokenizer.tokens(for: String(repeating: "moon ", count: 200))
        #expect(long.ids.count == 77 && long.length == 77 && long.ids.last == 49_407 && long.ids.first == 49_406)
        let empty = tokenizer.tokens(for: "")
        #expect(empty.ids.prefix(2) == [49_406, 49_407] && empty.length == 2)
    }

    @Test("a vocabulary without CLIP's special tokens is refused with one line")
    func refusesForeignVocabulary() {
        #expect {
            _ = try ClipTokenizer(vocabulary: ["a</w>": 0], merges: [("a", "b")])
        } throws: { error in
            (error as? RelevanceError)?.code == .badTokenizer && !"\(error)".contains("\n")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        #expect(throws: RelevanceError.self) { _ = try ClipTokenizer(contentsOf: missing) }
    }
}
