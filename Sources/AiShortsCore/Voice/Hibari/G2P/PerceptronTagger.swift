import Foundation

/// hibari's averaged-perceptron part-of-speech tagger (Penn Treebank tags, trained on spaCy's).
///
/// A word with one dominant tag is answered from the tag dictionary; the others are scored from
/// fifteen context features. Scores add up in feature order, in `Double`, as Python adds them, so that
/// near ties break the same way.
struct PerceptronTagger: Sendable {
    let tags: [String]
    let tagDictionary: [String: String]
    let vocabulary: Set<String>?
    /// Feature → its (tag index, weight) pairs, as a range into the flat arrays below.
    let features: [String: Range<Int32>]
    let weightTags: [UInt8]
    let weightValues: [Double]

    /// Reads `tagger.json.gz`.
    init(assets: URL) throws {
        var tags: [String] = []
        var tagDictionary: [String: String] = [:]
        var vocabulary: Set<String>?
        var features: [String: Range<Int32>] = [:]
        var weightTags: [UInt8] = []
        var weightValues: [Double] = []
        // Weights may come before the tag list; tag names are resolved once both are known.
        var pendingTagNames: [String] = []
        var tagNameIndex: [String: UInt8] = [:]
        try HibariAssets.parse("tagger.json.gz", in: assets) { scanner in
            try scanner.readObject { key, scanner in
                switch key {
                case "tags":
                    try scanner.readArray { scanner in tags.append(try scanner.readString()) }
                case "tagdict":
                    try scanner.readObject { word, scanner in tagDictionary[word] = try scanner.readString() }
                case "vocab":
                    var words = Set<String>()
                    try scanner.readArray { scanner in words.insert(try scanner.readString()) }
                    vocabulary = words
                case "weights":
                    features.reserveCapacity(80_000)
                    try scanner.readObject { feature, scanner in
                        let start = Int32(weightValues.count)
                        try scanner.readObject { tag, scanner in
                            let index: UInt8
                            if let known = tagNameIndex[tag] {
                                index = known
                            } else {
                                index = UInt8(truncatingIfNeeded: pendingTagNames.count)
                                tagNameIndex[tag] = index
                                pendingTagNames.append(tag)
                            }
                            weightTags.append(index)
                            weightValues.append(try scanner.readNumber())
                        }
                        features[feature] = start..<Int32(weightValues.count)
                    }
                default:
                    _ = try scanner.readValue()
                }
            }
        }
        guard !tags.isEmpty, tags.count < 256, pendingTagNames.count < 256 else {
            throw VoiceError(.engineFailed, "hibari asset tagger.json.gz has no usable tag list")
        }
        // Re-number the weights' tags by their position in `tags`.
        let position = Dictionary(tags.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var remap: [UInt8] = []
        for name in pendingTagNames {
            guard let index = position[name] else {
                throw VoiceError(.engineFailed, "hibari asset tagger.json.gz weighs an unknown tag \(name)")
            }
            remap.append(UInt8(index))
        }
        self.tags = tags
        self.tagDictionary = tagDictionary
        self.vocabulary = vocabulary
        self.features = features
        self.weightTags = weightTags.map { remap[Int($0)] }
        self.weightValues = weightValues
    }

    /// One tag per word.
    func callAsFunction(_ words: [String]) -> [String] {
        let context =
            Self.start
            + words.map { word -> String in
                let normal = Self.normalize(word)
                if let vocabulary, !vocabulary.contains(normal) { return "<" + Self.shape(word) + ">" }
                return normal
            } + Self.end
        var previous = Self.start[1]
        var previous2 = Self.start[0]
        var out: [String] = []
        out.reserveCapacity(words.count)
        for (index, word) in words.enumerated() {
            let tag = tagDictionary[word] ?? predict(index: index, word: word, context: context, previous, previous2)
            out.append(tag)
            previous2 = previous
            previous = tag
        }
        return out
    }

    static let start = ["-START2-", "-START-"]
    static let end = ["-END-", "-END2-"]

    private func predict(index: Int, word: String, context: [String], _ previous: String, _ previous2: String)
        -> String
    {
        let j = index + 2
        let scalars = word.unicodeScalars
        let before = context[j - 1]
        let after = context[j + 1]
        var features: [String] = ["b"]
        features.reserveCapacity(15)
        features.append("s3=" + String(scalars.suffix(3)))
        features.append("p1=" + String(scalars.prefix(1)))
        features.append("w=" + context[j])
        features.append("sh=" + Self.shape(word))
        features.append(index == 0 ? "i0" : "i+")
        features.append("t-1=" + previous)
        features.append("t-2=" + previous2)
        features.append("t-12=" + previous + "," + previous2)
        features.append("w-1=" + before)
        features.append("s3-1=" + String(before.unicodeScalars.suffix(3)))
        features.append("w-2=" + context[j - 2])
        features.append("w+1=" + after)
        features.append("s3+1=" + String(after.unicodeScalars.suffix(3)))
        features.append("w+2=" + context[j + 2])
        var scores = [Double](repeating: 0, count: tags.count)
        var scored = false
        for feature in features {
            guard let range = self.features[feature], !range.isEmpty else { continue }
            scored = true
            for slot in Int(range.lowerBound)..<Int(range.upperBound) {
                scores[Int(weightTags[slot])] += weightValues[slot]
            }
        }
        guard scored else { return "NN" }
        // max over the tag list by (score, tag name); names are distinct, so there is one winner.
        var best = 0
        for candidate in 1..<tags.count
        where scores[candidate] > scores[best] || (scores[candidate] == scores[best] && tags[candidate] > tags[best]) {
            best = candidate
        }
        return tags[best]
    }

    /// `norm(w)`: the word as the feature window sees it.
    static func normalize(_ word: String) -> String {
        let scalars = word.unicodeScalars
        if scalars.contains("-") && scalars.first != "-" { return "!HYPHEN" }
        if word.pyIsDigit && scalars.count == 4 { return "!YEAR" }
        if scalars.first?.pyIsDigit == true { return "!DIGITS" }
        return word.pyLower
    }

    /// `shape(w)`: the word's letter-case and digit pattern.
    static func shape(_ word: String) -> String {
        let scalars = word.unicodeScalars
        if word.pyIsAlpha {
            if word.pyIsLower { return "x" }
            if word.pyIsUpper { return scalars.count > 1 ? "XX" : "X1" }
            if let first = scalars.first, String(first).pyIsUpper, String(scalars.dropFirst()).pyIsLower {
                return "Xx"
            }
            return "xX"
        }
        if word.pyIsDigit { return "d" }
        var out = ""
        for scalar in scalars.prefix(4) {
            if scalar.pyIsDigit {
                out += "d"
            } else if scalar.pyIsAlpha {
                out += "x"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
