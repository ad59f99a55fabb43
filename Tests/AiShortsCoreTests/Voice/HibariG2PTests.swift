import Foundation
import Testing

@testable import AiShortsCore

/// The G2P port against the Python package it ports (hibari-tts in `.deps/venv`), plus known cases of its
/// parts: number words, the normaliser, the tokenizer, the sentence splitter, the clause splitter and the
/// vocabulary.
@Suite("HibariG2P")
struct HibariG2PTests {
    /// The package root: this file is `<root>/Tests/AiShortsCoreTests/Voice/HibariG2PTests.swift`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let assets = root.appendingPathComponent(".deps/models/hibari")
    static let python = root.appendingPathComponent(".deps/venv/bin/python")

    /// Loads the assets once for the tests that need the whole G2P without the OOV model.
    static let plain = Result { try HibariG2P(assets: assets, oov: nil) }

    static func requireAssets() throws {
        try #require(
            FileManager.default.fileExists(atPath: assets.appendingPathComponent("lexicon_us_gold.json.gz").path),
            "the hibari G2P needs its assets in \(assets.path): run `make bootstrap`"
        )
    }

    // MARK: - Reference

    /// Python's chunks for each text (`Hibari.phonemize` without loading the TTS model) and every word
    /// the OOV model was asked for, with its answer.
    static let script = """
        import json, sys
        from hibari.g2p import G2P
        from hibari.tts import Hibari
        texts = json.load(open(sys.argv[1], encoding="utf-8"))
        g2p = G2P()
        model = g2p.oov
        calls = {}
        def record(word):
            calls[word] = model(word)
            return calls[word]
        g2p._oov = record
        tts = Hibari.__new__(Hibari)
        tts._g2p = g2p
        json.dump({"chunks": [tts.phonemize(t) for t in texts], "oov": calls}, sys.stdout, ensure_ascii=False)
        """

    struct Reference: Decodable {
        var chunks: [[String]]
        var oov: [String: String?]
    }

    static func reference(for texts: [String]) async throws -> Reference {
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "the hibari G2P reference needs \(python.path): run `make bootstrap`"
        )
        let input = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aishorts-g2p-\(UUID().uuidString).json"
        )
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONEncoder().encode(texts).write(to: input)
        let result = try await ToolRunner(keptStderrLines: 40)
            .run(Tool(name: "python", path: python.path), arguments: ["-c", script, input.path])
        try #require(
            result.isSuccess,
            "the hibari G2P reference failed (\(result.status); run `make bootstrap`?):\n\(result.stderrTail.joined(separator: "\n"))"
        )
        return try JSONDecoder().decode(Reference.self, from: result.stdout)
    }

    @Test("matches Python's Hibari.phonemize on the corpus, with the real OOV model")
    func matchesPythonReference() async throws {
        try Self.requireAssets()
        let texts = HibariG2PCorpus.texts
        #expect(texts.count >= 200)
        let reference = try await Self.reference(for: texts)
        try #require(reference.chunks.count == texts.count)

        let oov = try HibariOOV(assets: Self.assets)
        for (word, expected) in reference.oov.sorted(by: { $0.key < $1.key }) {
            #expect(try oov.phonemes(for: word) == expected, "OOV reading of \(word)")
        }

        let g2p = try HibariG2P(assets: Self.assets, oov: oov)
        var equal = 0
        var mismatches: [String] = []
        for (text, expected) in zip(texts, reference.chunks) {
            let chunks = try g2p.phonemizeText(text)
            if chunks.map(\.phonemes) == expected {
                equal += 1
            } else {
                mismatches.append("\(text)\n  python: \(expected)\n  swift:  \(chunks.map(\.phonemes))")
            }
            for chunk in chunks {
                #expect(HibariG2P.join(chunk.tokens) == chunk.phonemes, "tokens of a chunk of \(text)")
            }
        }
        if !mismatches.isEmpty { print("G2P mismatches:\n" + mismatches.joined(separator: "\n")) }
        print("G2P reference: \(equal) of \(texts.count) texts equal")
        #expect(
            Double(equal) >= 0.99 * Double(texts.count),
            "\(mismatches.count) mismatches:\n\(mismatches.joined(separator: "\n"))"
        )
        #expect(
            texts.contains { text in (try? g2p.phonemizeText(text).count) ?? 0 > 1 },
            "some text gives several chunks"
        )
    }

    @Test("fails with one clear line when the assets are missing")
    func missingAssets() {
        let nowhere = URL(fileURLWithPath: "/nonexistent/hibari")
        #expect {
            _ = try HibariG2P(assets: nowhere, oov: nil)
        } throws: { error in
            guard let error = error as? VoiceError else { return false }
            return error.code == .engineFailed && !error.description.contains("\n")
                && error.description.contains("bootstrap")
        }
    }
}

// MARK: - Parts

extension HibariG2PTests {
    @Test(arguments: [
        (0, "zero"), (7, "seven"), (21, "twenty-one"), (100, "one hundred"), (101, "one hundred and one"),
        (115, "one hundred and fifteen"), (1001, "one thousand and one"),
        (1234, "one thousand, two hundred and thirty-four"), (1_000_000, "one million"),
        (1_001_000, "one million, one thousand"), (2_000_000_001, "two billion and one"),
    ])
    func cardinal(number: Int, words: String) {
        #expect(NumberWords.cardinal(number) == words)
    }

    @Test func numberWords() {
        #expect(
            NumberWords.cardinal(digits: "123456789012345678901234")
                == "one hundred and twenty-three sextillion, four hundred and fifty-six quintillion, seven hundred "
                + "and eighty-nine quadrillion, twelve trillion, three hundred and forty-five billion, six hundred "
                + "and seventy-eight million, nine hundred and one thousand, two hundred and thirty-four"
        )
        let ordinals = [
            1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth",
            21: "twenty-first", 40: "fortieth", 100: "one hundredth", 101: "one hundred and first",
            1000: "one thousandth", 1_000_000: "one millionth",
        ]
        for (number, words) in ordinals { #expect(NumberWords.ordinal(number) == words) }
        let years = [
            1066: "ten sixty-six", 1900: "nineteen hundred", 1905: "nineteen oh-five",
            1999: "nineteen ninety-nine", 2000: "two thousand", 2005: "two thousand and five",
            2010: "twenty ten", 2024: "twenty twenty-four",
        ]
        for (year, words) in years { #expect(NumberWords.year(year) == words) }
        #expect(NumberWords.decimal("3.14") == "three point one four")
        #expect(NumberWords.decimal("2.50") == "two point five")
        #expect(NumberWords.decimal("10.0") == "ten")
        #expect(NumberWords.decimal(".5") == "zero point five")
    }

    @Test(arguments: [
        ("Meet at 7:30 pm.", "Meet at seven thirty P.M."),
        ("Wake at 6:00.", "Wake at six o'clock."),
        ("Due 12/25/2024.", "Due December twenty-fifth, 2024."),
        ("On 2023-06-15 we met.", "On June fifteenth, 2023 we met."),
        ("Born Jan. 5th, 1990.", "Born January fifth, 1990."),
        ("Run 5km today.", "Run 5 kilometers today."),
        ("It was 20°C.", "It was 20 degrees Celsius."),
        ("Pay ¥1500 now.", "Pay 1500 yen now."),
        ("Raised $20M.", "Raised 20 million dollars."),
        ("Found 50¢.", "Found 50 cents."),
        ("Dr. Smith met St. Paul.", "Dr Smith met Saint Paul."),
        ("Use approx. two cups.", "Use approximately two cups."),
        ("Henry VIII and Chapter IV.", "Henry the eighth and Chapter 4."),
        ("Call 555-123-4567 now", "Call 5 5 5, 1 2 3, 4 5 6 7 now"),
        ("Aged 5-12 years", "Aged 5 to 12 years"),
        ("Add 1/2 cup and 3/4 more.", "Add one half cup and 3 quarters more."),
        ("No. 5 and #3.", "Number 5 and number 3."),
        ("x = 5 and a < b.", "x equals 5 and a less than b."),
        ("Tom & Jerry ™ ©", "Tom & Jerry copyright"),
        ("It\u{2019}s  here   now .", "It's here now."),
        ("+5 points", "plus 5 points"),
    ])
    func normalizer(text: String, normalized: String) throws {
        try Self.requireAssets()
        #expect(try TextNormalizer(assets: Self.assets)(text) == normalized)
    }

    @Test func tokenizer() throws {
        try Self.requireAssets()
        let tokenizer = try EnglishTokenizer(assets: Self.assets)
        func texts(_ line: String) -> [String] { tokenizer(line).map(\.text) }
        #expect(texts("Don't stop.") == ["Do", "n't", "stop", "."])
        #expect(texts("(Hello), world!") == ["(", "Hello", ")", ",", "world", "!"])
        #expect(texts("U.S.A. rocks") == ["U.S.A.", "rocks"])
        #expect(texts("e-mail me at a@b.com.") == ["e", "-", "mail", "me", "at", "a@b.com", "."])
        #expect(texts("It costs $5.99...") == ["It", "costs", "$", "5.99", "..."])
        #expect(texts("well-known 10km 20°C.") == ["well", "-", "known", "10", "km", "20", "°", "C", "."])
        #expect(texts("'90s rock'n'roll") == ["'", "90s", "rock'n'roll"])
        #expect(texts("Visit https://x.org/a?b=1 now.") == ["Visit", "https://x.org/a?b=1", "now", "."])
        #expect(texts("Sept. 5th") == ["Sept.", "5th"])
        #expect(tokenizer("We\u{2019}re 100% sure").map(\.whitespace) == [false, true, false, true, false])
    }

    @Test func sentences() throws {
        try Self.requireAssets()
        let g2p = try Self.plain.get()
        let text =
            "Dr. Smith arrived. He sat down! Was it J. K. Rowling? yes it was.\n\nNew paragraph... And more.\n"
            + "Last line \"quoted.\" Next one."
        #expect(
            g2p.sentences(in: text) == [
                "Dr. Smith arrived.", "He sat down!", "Was it J. K. Rowling? yes it was.", "New paragraph...",
                "And more.", "Last line \"quoted.", "Next one.",
            ]
        )
    }

    @Test func lines() throws {
        try Self.requireAssets()
        let g2p = try Self.plain.get()
        #expect(try g2p("Hello there.") == "həlˈO ðˈɛɹ.")
        #expect(try g2p("I read the book.") == "ˌI ɹˈɛd ðə bˈʊk.")
        #expect(try g2p("I will read it.") == "ˌI wɪl ɹˈid ɪt.")
        #expect(try g2p("The $5 fee.") == "ðə fˈIv dˈɑləɹz fˈi.")
        #expect(try g2p("NASA and the FBI.") == "nˈæsə ænd ði ˌɛfbˌiˈI.")
        let tokens = try g2p.phonemize(line: "The $5 fee.")
        #expect(tokens.map(\.text) == ["The", "$", "5", "fee", "."])
        #expect(tokens.map(\.phonemes) == ["ðə", "", "fˈIv dˈɑləɹz", "fˈi", "."])
        #expect(try g2p("") == "")
    }

    @Test("a long sentence is split at clause punctuation, and its tokens with it")
    func clauses() throws {
        try Self.requireAssets()
        let g2p = try Self.plain.get()
        let sentence = Array(
            repeating: "the committee discussed the budget, the timeline, and the staffing plan;",
            count: 8
        )
        .joined(separator: " ")
        let whole = try g2p(sentence)
        #expect(whole.unicodeScalars.count > HibariG2P.maxPhonemes)
        let chunks = try g2p.phonemizeText(sentence)
        #expect(chunks.count > 1)
        #expect(chunks.map(\.phonemes).joined(separator: " ") == whole)
        for chunk in chunks {
            #expect(chunk.phonemes.unicodeScalars.count <= HibariG2P.maxPhonemes)
            #expect(HibariG2P.join(chunk.tokens) == chunk.phonemes)
        }
        #expect(chunks.flatMap(\.tokens).map(\.text) == (try g2p.phonemize(line: sentence)).map(\.text))
    }

    @Test func vocabulary() throws {
        try Self.requireAssets()
        let vocabulary = try HibariVocabulary(assets: Self.assets)
        // h=50 ə=83 l=54 ˈ=156 O=31; "?" is 6 and "#" is not in the alphabet.
        #expect(vocabulary.ids(for: "həlˈO#?") == [0, 50, 83, 54, 156, 31, 6, 0])
        #expect(vocabulary.ids(for: "") == [0, 0])
    }
}
