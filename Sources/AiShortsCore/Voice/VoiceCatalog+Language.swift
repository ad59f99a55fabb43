public import Foundation

extension VoiceCatalog {
    /// The language `choice` speaks, or nil when the catalog cannot tell.
    ///
    /// hibari's voice is American English; a Piper voice's language is the `ll_CC` prefix of its name,
    /// the convention every published Piper voice follows (`pt_BR-faber-medium`); a Kokoro voice's is its
    /// name's first letter (`jf_alpha` is Japanese, `pf_dora` Brazilian Portuguese); an espeak-ng voice
    /// is named by its language (`pt-br`, `cmn` for Mandarin).
    public func language(of choice: VoiceChoice) -> LanguageTag? {
        switch choice.engine {
        case "hibari":
            return .english
        case "piper":
            let name = URL(fileURLWithPath: choice.voice).deletingPathExtension().lastPathComponent
            // Only the `ll_CC` form: `no-such-voice` must not read as Norwegian.
            guard let prefix = name.split(separator: "-").first, prefix.contains("_") else { return nil }
            return LanguageTag(String(prefix))
        case "kokoro":
            return KokoroVoice.language(ofVoice: URL(fileURLWithPath: choice.voice).deletingPathExtension().lastPathComponent)
        case "espeak":
            switch choice.voice {
            case "cmn", "cmn-latn-pinyin": return LanguageTag("zh-CN")
            case "yue": return LanguageTag("zh-HK")
            case "es-419": return LanguageTag("es-419")
            default: return LanguageTag(choice.voice)
            }
        default:
            return nil
        }
    }

    /// The voice a spec in `language` gets when it names none.
    ///
    /// The order is the best installed voice first: hibari for English; a Kokoro voice for Japanese
    /// (`jf_alpha` first: Kokoro has the Japanese front end); then a Piper voice of the same language and
    /// region, then of the same language; then a Kokoro voice of the language; espeak-ng, which speaks
    /// every language it lists, last.
    public func defaultChoice(for language: LanguageTag) -> VoiceChoice {
        if language.sameLanguage(as: .english), locations.hibari != nil || language.region == nil || language.region == "US" {
            return .default
        }
        let kokoro = best(locations.kokoroVoices.map { VoiceChoice(engine: "kokoro", voice: $0.name) }, for: language,
                          preferring: VoiceChoice.defaultVoice(for: "kokoro"))
        if language.language == "ja", let kokoro { return kokoro }
        let piper = best(locations.piperVoices.map { VoiceChoice(engine: "piper", voice: $0.deletingPathExtension().lastPathComponent) },
                         for: language, preferring: nil)
        if let piper { return piper }
        if let kokoro { return kokoro }
        return VoiceChoice(engine: "espeak", voice: language.espeakVoice)
    }

    /// Of `choices`, the one that best speaks `language` (`preferred` among equals, else the first), or nil.
    private func best(_ choices: [VoiceChoice], for language: LanguageTag, preferring preferred: String?) -> VoiceChoice? {
        let scored = choices.map { (choice: $0, score: self.language(of: $0).map(language.match) ?? 0) }.filter { $0.score > 0 }
        guard let top = scored.map(\.score).max() else { return nil }
        let tops = scored.filter { $0.score == top }.map(\.choice)
        return tops.first { $0.voice == preferred } ?? tops.first
    }
}
