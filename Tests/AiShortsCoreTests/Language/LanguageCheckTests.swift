import AiShortsCore
import Testing

@Suite("Language checks and pace")
struct LanguageCheckTests {
    static let portuguese = "As formigas cortadeiras não comem as folhas que carregam para casa. Elas mastigam cada folha até virar uma pasta que alimenta um jardim de fungos."
    static let spanish = "Las hormigas cortadoras no comen las hojas que llevan a casa. Las mastican hasta hacer una pasta que alimenta un enorme jardín de hongos."
    static let english = "Leafcutter ants do not eat the leaves they carry home. They chew every leaf into a paste that feeds a huge fungus garden."
    static let french = "Les fourmis coupeuses ne mangent pas les feuilles qu'elles rapportent. Elles les mâchent pour nourrir un énorme jardin de champignons."
    static let german = "Blattschneiderameisen fressen die Blätter nicht, die sie nach Hause tragen. Sie kauen jedes Blatt zu einem Brei, der einen Pilzgarten nährt."
    static let italian = "Le formiche tagliafoglie non mangiano le foglie che portano a casa. Le masticano per nutrire un enorme giardino di funghi che è la loro fattoria."
    static let japanese = "このアリたちは、五千万年も前から農業をしています。葉をかみ砕いてキノコの畑を育てます。"
    static let chinese = "这些蚂蚁已经种了五千万年的蘑菇。它们把叶子嚼碎，用来喂养巨大的真菌花园。"

    @Test(arguments: [
        ("pt-BR", portuguese), ("es", spanish), ("fr", french), ("de", german), ("it", italian), ("en-US", english),
        ("ja", japanese), ("zh-CN", chinese), ("ar", "النمل القاطع للأوراق لا يأكل الأوراق التي يحملها إلى بيته بل يزرع فطرا"),
        ("he", "נמלים חותכות עלים אינן אוכלות את העלים שהן נושאות הביתה אלא מגדלות פטריות"),
        ("ru", "Муравьи-листорезы не едят листья, которые несут домой, а выращивают на них грибы"),
    ])
    func textInItsLanguagePasses(tag: String, text: String) throws {
        let language = try #require(LanguageTag(tag))
        #expect(LanguageCheck.problem(text, expected: language) == nil)
    }

    @Test(arguments: ["pt-BR", "es", "fr", "de", "it"])
    func englishTextIsCaughtInEveryLatinLanguage(tag: String) throws {
        let language = try #require(LanguageTag(tag))
        let problem = try #require(LanguageCheck.problem(Self.english, expected: language))
        #expect(problem.contains("English"), "\(problem)")
    }

    @Test func neighbouringLanguagesAreToldApart() throws {
        let portuguese = try #require(LanguageTag("pt-BR")), spanish = try #require(LanguageTag("es"))
        #expect(LanguageCheck.problem(Self.spanish, expected: portuguese) == "it reads as Spanish, not Brazilian Portuguese")
        #expect(LanguageCheck.problem(Self.portuguese, expected: spanish) == "it reads as Portuguese, not Spanish")
    }

    @Test func scriptsAreCheckedForNonLatinLanguages() throws {
        let ja = try #require(LanguageTag("ja"))
        #expect(LanguageCheck.problem(Self.english, expected: ja)?.hasPrefix("it is not written in Japanese") == true)
        #expect(LanguageCheck.problem(Self.chinese, expected: ja) == "it reads as Chinese, not Japanese (almost no kana)")
        let mixed = "这些蚂蚁已经种了五千万年的蘑菇。它们のキノコ畑は巨大です。"
        #expect(LanguageCheck.problem(mixed, expected: try #require(LanguageTag("zh"))) == "it reads as Japanese, not Chinese (it has kana)")
        #expect(LanguageCheck.problem(Self.japanese, expected: try #require(LanguageTag("zh")))?.contains("Chinese") == true)
        #expect(LanguageCheck.problem(Self.english, expected: try #require(LanguageTag("ar")))?.hasPrefix("it is not written in Arabic") == true)
    }

    @Test func tooShortToJudgeIsAccepted() throws {
        #expect(LanguageCheck.problem("OK!", expected: try #require(LanguageTag("pt-BR"))) == nil)
    }

    @Test func paceCountsWordsOrCharactersByLanguage() throws {
        let english = SpeechPace(.english)
        #expect(english.unit == .words && english.perSecond == 2.5)
        #expect(english.acceptable.lowerBound == 1.6 && abs(english.acceptable.upperBound - 3.4) < 1e-9)
        #expect(english.target(seconds: 40) == 100)
        let japanese = SpeechPace(try #require(LanguageTag("ja")))
        #expect(japanese.unit == .characters)
        #expect(japanese.count(in: "今日は、公園を散歩します。") == 11)
        #expect(japanese.target(seconds: 40) == 280)
        #expect(SpeechPace(try #require(LanguageTag("zh-TW"))).unit == .characters)
        #expect(SpeechPace(try #require(LanguageTag("pt-BR"))).count(in: "Custa R$ 9,90, não é?") == 5)
    }

    @Test(arguments: ["pt-BR", "pt_br", " ja ", "zh-Hant-TW", "es-419", "EN-us"])
    func tagsParse(text: String) throws {
        _ = try LanguageTag.parse(text)
    }

    @Test(arguments: ["portuguese", "pt--BR", "-pt", "pt-", "p", "pt-BR-x", "ja-JP-JP", "12", "", "pt-ÇÇ"])
    func badTagsSayWhatToWrite(text: String) throws {
        let error = try #require(throws: SpecError.self) { try LanguageTag.parse(text) }
        #expect(error.field == "language")
        #expect(error.message.contains("such as pt-BR, es, ja or en-US"))
    }

    @Test func anOverlongTagIsRefusedAndShortenedInTheMessage() throws {
        let error = try #require(throws: SpecError.self) { try LanguageTag.parse(String(repeating: "a", count: 5000)) }
        #expect(error.message.count < 200)
    }
}

extension LanguageCheckTests {
    @Test(arguments: [
        ("pt-BR", "Brazilian Portuguese", "pt-br", WritingSystem.latin), ("pt-PT", "European Portuguese", "pt", .latin),
        ("ja", "Japanese", "ja", .japanese), ("zh-TW", "Traditional Chinese", "cmn", .chinese), ("ar", "Arabic", "ar", .arabic),
        ("he", "Hebrew", "he", .hebrew), ("th", "Thai", "th", .thai), ("en", "English", "en-us", .latin),
    ])
    func tagsKnowTheirNameVoiceAndScript(tag: String, name: String, voice: String, system: WritingSystem) throws {
        let language = try #require(LanguageTag(tag))
        #expect(language.englishName == name)
        #expect(language.espeakVoice == voice)
        #expect(language.writingSystem == system)
    }

    @Test func onlyScriptsWithoutSpacesBreakByCharactersAndOnlyArabicAndHebrewRunRightToLeft() {
        #expect(WritingSystem.allCases.filter { !$0.separatesWords } == [.japanese, .chinese, .thai])
        #expect(WritingSystem.allCases.filter(\.isRightToLeft) == [.arabic, .hebrew])
    }
}
