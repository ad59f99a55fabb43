extension KokoroNarrator {
    /// espeak-ng's IPA sequences written as one Kokoro phoneme: affricates in every language, and for
    /// English the diphthongs and r-sounds misaki writes with letters of their own (`eɪ` is `A`).
    static func respellings(english: Bool) -> [(from: [Unicode.Scalar], to: Unicode.Scalar)] {
        var pairs: [(String, Unicode.Scalar)] = [("tʃ", "ʧ"), ("dʒ", "ʤ"), ("ts", "ʦ"), ("dz", "ʣ")]
        if english {
            pairs += [("eɪ", "A"), ("aɪ", "I"), ("aʊ", "W"), ("oʊ", "O"), ("ɔɪ", "Y"), ("əʊ", "Q"), ("r", "ɹ"), ("ɐ", "ə")]
        }
        return pairs.map { (Array($0.0.unicodeScalars), $0.1) }
    }

    /// The script's sentences with their phonemes from espeak-ng, every phoneme traced to its word.
    ///
    /// As for Piper voices: each sentence is phonemised whole (for natural sandhi and stress), each word
    /// also alone, and the two are aligned (``PiperNarrator/label(_:with:)``) to find which phonemes
    /// speak which word; each word's punctuation is put back after its last phoneme.
    /// - Throws: as ``PiperPhonemizer``.
    func espeakUtterances(_ text: String) async throws -> [KokoroUtterance] {
        let words = Narration.words(in: text)
        guard !words.isEmpty else { return [] }
        var phonemizer = PiperPhonemizer(voice: language.espeakVoice, tool: espeak)
        phonemizer.decomposes = false
        let wordIPA = try await phonemizer.words(words)
        let english = language.language == "en"
        var utterances: [KokoroUtterance] = []
        for range in PiperNarrator.sentences(words) {
            try Task.checkCancellation()
            let sentence = Array(words[range])
            let ipa = try await phonemizer.sentence(sentence.joined(separator: " "))
            let tokens = ipa.map { Array($0.unicodeScalars) }
            let labels = PiperNarrator.label(tokens, with: wordIPA[range].map { Array($0.unicodeScalars.filter { $0 != " " }) })
            var flat: [(scalar: Unicode.Scalar, owner: Int?)] = []
            for (token, scalars) in tokens.enumerated() {
                if token > 0 { flat.append((" ", nil)) }
                let (respelled, owners) = Self.respell(scalars, owners: labels[token], english: english)
                flat += zip(respelled, owners).map { ($0, Optional($1)) }
            }
            // The owner of the next word phoneme after each position, to put punctuation where a word ends.
            var nextOwner = [Int?](repeating: nil, count: flat.count + 1)
            for index in flat.indices.reversed() { nextOwner[index] = flat[index].owner ?? nextOwner[index + 1] }
            var utterance = KokoroUtterance(words: sentence)
            for (index, phoneme) in flat.enumerated() {
                utterance.phonemes.append(phoneme.scalar)
                utterance.owners.append(phoneme.owner)
                if let owner = phoneme.owner, let next = nextOwner[index + 1], next != owner,
                   let mark = PiperNarrator.punctuation(after: sentence[owner], final: false) {
                    utterance.append(String(mark), owner: nil)
                }
            }
            if let last = sentence.last, let mark = PiperNarrator.punctuation(after: last, final: true) {
                utterance.append(String(mark), owner: nil)
            }
            utterances.append(utterance)
        }
        return utterances
    }

    /// `scalars` with ``respellings(english:)`` applied; a respelled sequence keeps its first phoneme's owner.
    static func respell(_ scalars: [Unicode.Scalar], owners: [Int], english: Bool) -> ([Unicode.Scalar], [Int]) {
        let pairs = respellings(english: english)
        var out: [Unicode.Scalar] = []
        var outOwners: [Int] = []
        var index = 0
        while index < scalars.count {
            if let pair = pairs.first(where: { index + $0.from.count <= scalars.count && Array(scalars[index..<index + $0.from.count]) == $0.from }) {
                out.append(pair.to)
                outOwners.append(owners[index])
                index += pair.from.count
            } else {
                out.append(scalars[index])
                outOwners.append(owners[index])
                index += 1
            }
        }
        return (out, outOwners)
    }
}
