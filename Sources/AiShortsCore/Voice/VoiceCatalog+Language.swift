public import Foundation

extension VoiceCatalog {
    /// The language `choice` speaks, or nil when the catalog cannot tell.
    ///
    /// hibari's voice is American English; a Piper voice's language is the `ll_CC` prefix of its name,
    /// the convention every published Piper voice follows (`pt_BR-faber-medium`); an espeak-ng voice
    /// is named by its language (`pt-br`, `cmn` for Mandarin).
    public func language(of choice: VoiceChoice) -> LanguageTag? {
        switch choice.engine {
        case "hibari":
            return .english
        case "piper":
            let name = URL(fileURLWithPath: choice.voice).deletingPathExtension().lastPathComponent
            return name.split(separator: "-").first.flatMap { LanguageTag(String($0)) }
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
    /// The order is the best installed voice first: hibari for English; then a Piper voice of the same
    /// language and region, then of the same language; espeak-ng, which speaks every language it lists,
    /// last.
    public func defaultChoice(for language: LanguageTag) -> VoiceChoice {
        if language.sameLanguage(as: .english), locations.hibari != nil || language.region == nil || language.region == "US" {
            return .default
        }
        let piper = locations.piperVoices
            .map { VoiceChoice(engine: "piper", voice: $0.deletingPathExtension().lastPathComponent) }
            .map { (choice: $0, score: self.language(of: $0).map(language.match) ?? 0) }
            .filter { $0.score > 0 }
            .max { $0.score < $1.score }
        if let piper { return piper.choice }
        return VoiceChoice(engine: "espeak", voice: language.espeakVoice)
    }
}
