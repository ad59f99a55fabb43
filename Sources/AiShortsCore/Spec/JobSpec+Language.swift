extension JobSpec {
    /// The voice that narrates this spec: the one it names, else the default voice of its language
    /// (``VoiceCatalog/defaultChoice(for:)``: hibari for English, an installed Piper voice of the
    /// language, else espeak-ng).
    ///
    /// - Throws: ``SpecError`` (`invalidValue`, field `voice`) when the named voice speaks another
    ///   language than the spec's (a Portuguese spec read by an English voice). A voice whose
    ///   language the catalog cannot tell is accepted, and so is a Piper voice that is not installed
    ///   (its name says nothing reliable; the narrator then reports it missing, naming those installed).
    public func narrationVoice(in catalog: VoiceCatalog, file: String = "spec") throws(SpecError) -> VoiceChoice {
        guard let voice else { return catalog.defaultChoice(for: language) }
        let installed = voice.engine != "piper" || catalog.locations.piperVoice(voice.voice) != nil
        if installed, let spoken = catalog.language(of: voice), !spoken.sameLanguage(as: language) {
            throw SpecError(
                .invalidValue, file: file, field: "voice",
                message: "\(voice) speaks \(spoken.englishName), but the spec's language is \(language) (\(language.englishName)); "
                    + "leave voice out for \(catalog.defaultChoice(for: language)), or pick one from `aishorts voices --language \(language.language)`")
        }
        return voice
    }
}
