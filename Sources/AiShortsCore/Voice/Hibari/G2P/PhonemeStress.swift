/// misaki's phoneme classes and stress marks, on code points.
enum PhonemeStress {
    static let primary: Unicode.Scalar = "ˈ"
    static let secondary: Unicode.Scalar = "ˌ"
    static let vowels = Set("AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ".unicodeScalars)
    static let consonants = Set("bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ".unicodeScalars)
    static let diphthongs = Set("AIOQWYʤʧ".unicodeScalars)
    /// Vowels after which a US 't' is flapped (`US_TAUS`).
    static let usTaus = Set("AIOWYiuæɑəɛɪɹʊʌ".unicodeScalars)

    /// `stress_weight`: diphthongs count double.
    static func weight(_ phonemes: String?) -> Int {
        guard let phonemes else { return 0 }
        return phonemes.unicodeScalars.reduce(0) { $0 + (diphthongs.contains($1) ? 2 : 1) }
    }

    /// `apply_stress`: moves, adds or removes stress marks for a word read with stress `stress`
    /// (−2 none, −1 or −0.5 demoted, 0 … 1 at least secondary, 2 primary); nil leaves it alone.
    static func apply(_ phonemes: String?, _ stress: Double?) -> String? {
        guard let stress, let phonemes else { return phonemes }
        let scalars = phonemes.unicodeScalars
        let hasPrimary = scalars.contains(primary)
        let hasSecondary = scalars.contains(secondary)
        if stress < -1 {
            return String(String.UnicodeScalarView(scalars.filter { $0 != primary && $0 != secondary }))
        } else if stress == -1 || ((stress == 0 || stress == -0.5) && hasPrimary) {
            return String(
                String.UnicodeScalarView(scalars.compactMap { $0 == secondary ? nil : $0 == primary ? secondary : $0 })
            )
        } else if (stress == 0 || stress == 0.5 || stress == 1) && !hasPrimary && !hasSecondary {
            return insert(secondary, beforeFirstVowelOf: phonemes)
        } else if stress >= 1 && !hasPrimary && hasSecondary {
            return String(String.UnicodeScalarView(scalars.map { $0 == secondary ? primary : $0 }))
        } else if stress > 1 && !hasPrimary && !hasSecondary {
            return insert(primary, beforeFirstVowelOf: phonemes)
        }
        return phonemes
    }

    /// misaki's `restress(mark + ps)`: the mark lands just before the first vowel (no vowel: unchanged).
    private static func insert(_ mark: Unicode.Scalar, beforeFirstVowelOf phonemes: String) -> String {
        var scalars = Array(phonemes.unicodeScalars)
        guard let vowel = scalars.firstIndex(where: { vowels.contains($0) }) else { return phonemes }
        scalars.insert(mark, at: vowel)
        return String(String.UnicodeScalarView(scalars))
    }
}
