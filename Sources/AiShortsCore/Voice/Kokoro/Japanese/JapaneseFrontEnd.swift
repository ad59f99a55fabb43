import Foundation

/// Kokoro's Japanese front end: script text to sentences of caption words and phonemes.
///
/// open_jtalk analyses each sentence (readings, pronunciations, accent phrases; see ``OpenJTalk``),
/// ``JapaneseWords`` groups its morphemes into the script's words and ``KanaPhonemes`` spells each
/// morpheme's pronunciation in the phonemes Kokoro learned Japanese with. Morphemes are separated by
/// spaces as misaki separates dictionary words, except where the second inflects the first (the past
/// た, the conjunctive て) or continues a number or a spelt-out word, and never next to a glottal stop; punctuation follows its
/// word without a space.
struct JapaneseFrontEnd: Sendable {
    /// The analyser.
    var openJTalk: OpenJTalk

    /// Sentence-ending marks; a closing bracket or quotation right after one stays in the sentence.
    static let terminators: Set<Character> = ["。", "！", "？", "!", "?", "．"]
    static let closers: Set<Character> = ["」", "』", "）", ")", "”", "’", "】", "》", "〉"]

    /// The text's sentences: cut after `。！？` (and a closing bracket following), at line breaks, and
    /// at a comma (else anywhere) where a sentence would be longer than open_jtalk reads at once.
    static func sentences(in text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var ended = false
        func flush() {
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current) }
            current = ""
            ended = false
        }
        for character in text {
            if character.isNewline {
                flush()
                continue
            }
            if ended && !closers.contains(character) { flush() }
            current.append(character)
            if terminators.contains(character) { ended = true }
            let bytes = current.utf8.count
            if bytes > OpenJTalk.maximumBytes - 100 && "、，,".contains(character) || bytes > OpenJTalk.maximumBytes - 8 { flush() }
        }
        flush()
        return sentences
    }

    /// One sentence's words and phonemes.
    ///
    /// - Throws: as ``OpenJTalk/analyze(_:)``.
    func utterance(_ sentence: String) async throws -> KokoroUtterance {
        let morphemes = try await openJTalk.analyze(sentence)
        let words = JapaneseWords.words(morphemes, in: sentence)
        return Self.utterance(words: words, morphemes: morphemes)
    }

    /// The phonemes of `words`, made of `morphemes`.
    static func utterance(words: [JapaneseWords.Word], morphemes: [OpenJTalk.Morpheme]) -> KokoroUtterance {
        var utterance = KokoroUtterance(words: words.map(\.text))
        var previous: OpenJTalk.Morpheme?
        for (index, word) in words.enumerated() {
            for morpheme in morphemes[word.morphemes] {
                defer { previous = morpheme }
                if morpheme.isSymbol {
                    let mark = KanaPhonemes.punctuation(morpheme.surface)
                    guard !mark.isEmpty else { continue }
                    let opening = JapaneseWords.isOpening(morpheme)
                    if opening { utterance.space() } else { utterance.trimSpace() }
                    utterance.append(mark, owner: nil)
                    if !opening { utterance.space() }
                    continue
                }
                let phonemes = KanaPhonemes.phonemes(morpheme.pronunciation)
                guard !phonemes.isEmpty else { continue }
                if let previous, !previous.isSymbol, !Self.continues(morpheme, previous), !phonemes.hasPrefix("ʔ"),
                   utterance.phonemes.last != "ʔ" {
                    utterance.space()
                } else if utterance.phonemes.last == "ɴ", let owner = utterance.owners.last {
                    // A morpheme-final ン written together with what follows takes its place (セン|ニ: seɲɲi).
                    utterance.phonemes.removeLast()
                    utterance.owners.removeLast()
                    utterance.append(KanaPhonemes.place(before: phonemes), owner: owner)
                }
                utterance.append(phonemes, owner: index)
            }
        }
        utterance.trimSpace()
        return utterance
    }

    /// Whether `morpheme` is written together with the one before it: the past た/だ and the conjunctive
    /// て/で of an inflected word (misaki keeps です, ます and ながら apart), or a number's or a spelt
    /// word's next part.
    static func continues(_ morpheme: OpenJTalk.Morpheme, _ previous: OpenJTalk.Morpheme) -> Bool {
        (morpheme.partOfSpeech == "助動詞" && ["た", "だ"].contains(morpheme.surface))
            || (morpheme.partOfSpeech == "助詞" && morpheme.detail == "接続助詞" && ["て", "で"].contains(morpheme.surface))
            || (morpheme.detail == previous.detail && (morpheme.detail == "数" || morpheme.detail == "アルファベット"))
    }
}

extension KokoroUtterance {
    /// Appends one space unless the utterance is empty or already ends with one.
    mutating func space() {
        guard let last = phonemes.last, last != " " else { return }
        append(" ", owner: nil)
    }

    /// Removes a trailing space.
    mutating func trimSpace() {
        while phonemes.last == " " {
            phonemes.removeLast()
            owners.removeLast()
        }
    }
}
