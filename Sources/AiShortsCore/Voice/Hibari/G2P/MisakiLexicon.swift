import Foundation

/// What a lexicon says about a word: its phonemes, or phonemes by part of speech.
enum LexiconEntry: Sendable {
    case phonemes(String)
    /// Tag (or "DEFAULT", "None", a parent tag such as "VERB") → phonemes; nil means "no reading".
    case tagged([String: String?])
}

/// One of misaki's dictionaries with `grow_dictionary` done at lookup time: a lowercase key also answers
/// to its Capitalized form and the reverse, unless that form has its own entry.
struct LexiconTable: Sendable {
    let entries: [String: LexiconEntry]

    func get(_ word: String) -> LexiconEntry? {
        if let entry = entries[word] { return entry }
        guard word.unicodeScalars.count >= 2 else { return nil }
        let lower = word.pyLower
        if word.pyEquals(lower) {
            let capitalized = word.pyCapitalize
            return capitalized.pyEquals(word) ? nil : entries[capitalized]
        }
        if word.pyEquals(lower.pyCapitalize) { return entries[lower] }
        return nil
    }

    func contains(_ word: String) -> Bool { get(word) != nil }

    /// Reads a lexicon file: word → phonemes, or word → {tag → phonemes or null}.
    init(assets: URL, name: String) throws {
        entries = try HibariAssets.parse(name, in: assets) { scanner in
            var entries: [String: LexiconEntry] = [:]
            entries.reserveCapacity(100_000)
            try scanner.readObject { word, scanner in
                if scanner.peek() == UInt8(ascii: "{") {
                    var tagged: [String: String?] = [:]
                    try scanner.readObject { tag, scanner in
                        tagged[tag] = scanner.readNull() ? .some(nil) : .some(try scanner.readString())
                    }
                    entries[word] = .tagged(tagged)
                } else if !scanner.readNull() {
                    entries[word] = .phonemes(try scanner.readString())
                }
            }
            return entries
        }
    }
}

/// The G2P's look-ahead: what the next word (already read, since words are read right to left) starts with.
struct G2PContext {
    /// Whether the next word starts with a vowel sound; nil when nothing or punctuation follows.
    var futureVowel: Bool?
    /// Whether the next word is "to".
    var futureTo = false
}

/// misaki's English lexicon logic (hibari's `lexicon.py`): gold and silver dictionaries, part-of-speech
/// readings, special cases, stems (-s, -ed, -ing) and numbers.
struct MisakiLexicon: Sendable {
    typealias Reading = (phonemes: String?, rating: Int?)

    let golds: LexiconTable
    let silvers: LexiconTable
    let british: Bool

    static let currencies: [String: (String, String)] = [
        "$": ("dollar", "cent"), "£": ("pound", "pence"), "€": ("euro", "cent"),
    ]
    static let ordinals: Set<String> = ["st", "nd", "rd", "th"]
    static let addSymbols = [".": "dot", "/": "slash"]
    static let symbols = ["%": "percent", "&": "and", "+": "plus", "@": "at"]

    /// Loads `lexicon_{us|gb}_{gold|silver}.json.gz`.
    init(assets: URL, british: Bool) throws {
        let accent = british ? "gb" : "us"
        golds = try LexiconTable(assets: assets, name: "lexicon_\(accent)_gold.json.gz")
        silvers = try LexiconTable(assets: assets, name: "lexicon_\(accent)_silver.json.gz")
        self.british = british
    }

    /// The phonemes of a plain gold entry (`self.golds.get(word)` where it is known to be a string).
    func gold(_ word: String) -> String? {
        if case .phonemes(let phonemes) = golds.get(word) { return phonemes }
        return nil
    }

    static func parentTag(_ tag: String?) -> String? {
        guard let tag else { return nil }
        if tag.hasPrefix("VB") { return "VERB" }
        if tag.hasPrefix("NN") { return "NOUN" }
        if tag.hasPrefix("ADV") || tag.hasPrefix("RB") { return "ADV" }
        if tag.hasPrefix("ADJ") || tag.hasPrefix("JJ") { return "ADJ" }
        return tag
    }

    /// `get_NNP`: a proper noun or acronym read letter by letter, the last letter stressed.
    func properNoun(_ word: String) -> Reading {
        var joined = ""
        for scalar in word.unicodeScalars where scalar.pyIsAlpha {
            guard let letter = gold(scalar.pyUpper) else { return (nil, nil) }
            joined += letter
        }
        guard var scalars = PhonemeStress.apply(joined, 0).map({ Array($0.unicodeScalars) }) else { return (nil, nil) }
        if let last = scalars.lastIndex(of: PhonemeStress.secondary) { scalars[last] = PhonemeStress.primary }
        return (String(String.UnicodeScalarView(scalars)), 3)
    }

    /// `is_known`: the word can be read from the dictionaries (or letter by letter).
    func isKnown(_ word: String, _ tag: String?) -> Bool {
        if golds.contains(word) || Self.symbols[word] != nil || silvers.contains(word) { return true }
        guard word.pyIsAlpha, word.unicodeScalars.allSatisfy(\.isASCIILetter) else { return false }
        if word.unicodeScalars.count == 1 { return true }
        if word.pyEquals(word.pyUpper) && golds.contains(word.pyLower) { return true }
        let tail = word.pyDropFirst(1)
        return tail.pyEquals(tail.pyUpper)
    }

    /// `lookup`: the dictionaries' reading for a word with a tag and a stress.
    func lookup(_ text: String, _ tag: String?, _ stress: Double?, _ context: G2PContext?) -> Reading {
        var word = text
        var tag = tag
        var isProperNoun: Bool?
        if word.pyEquals(word.pyUpper) && !golds.contains(word) {
            word = word.pyLower
            isProperNoun = tag == "NNP"
        }
        var entry = golds.get(word)
        var rating = 4
        if entry == nil && isProperNoun != true {
            entry = silvers.get(word)
            rating = 3
        }
        var phonemes: String?
        switch entry {
        case .phonemes(let value):
            phonemes = value
        case .tagged(let byTag):
            if context != nil && context?.futureVowel == nil && byTag["None"] != nil {
                tag = "None"
            } else if tag.flatMap({ byTag[$0] }) == nil {
                tag = Self.parentTag(tag)
            }
            let fallback = byTag["DEFAULT"] ?? nil
            phonemes = tag.flatMap { byTag[$0] } ?? fallback
        case nil:
            phonemes = nil
        }
        if phonemes == nil || (isProperNoun == true && !(phonemes?.pyContains(PhonemeStress.primary) ?? false)) {
            let reading = properNoun(word)
            if reading.phonemes != nil { return reading }
            // Python's apply_stress(None, stress) returns None only for stress None, and raises otherwise;
            // the port answers "no reading" either way.
            return (nil, reading.rating)
        }
        return (PhonemeStress.apply(phonemes, stress), rating)
    }
}
