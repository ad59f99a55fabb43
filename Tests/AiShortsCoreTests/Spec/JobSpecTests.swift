import AiShortsCore
import Foundation
import Testing

/// A throwaway folder with a few real (empty) media files, removed when the value is dropped.
private final class SpecFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("aishorts-spec-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("clips"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("library"), withIntermediateDirectories: true)
        for name in ["clips/rocket.mp4", "clips/moon.jpg", "music.mp3", "voice.wav", "words.json", "library/ocean.mp4"] {
            #expect(FileManager.default.createFile(atPath: url.appendingPathComponent(name).path, contents: Data()))
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ relative: String) -> URL { url.appendingPathComponent(relative).standardizedFileURL }
}

@Suite struct JobSpecTests {
    /// Parses and expects a `SpecError`; records an issue when parsing succeeds or throws something else.
    private func parseError(_ yaml: String, in folder: SpecFolder) -> SpecError? {
        do {
            let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
            Issue.record("expected a SpecError, parsed \(spec)")
            return nil
        } catch {
            #expect(!error.description.contains("\n"), "description must be one line: \(error.description)")
            #expect(error.description.hasPrefix("test.yaml"))
            return error
        }
    }

    // MARK: - Valid specs

    @Test func parsesAFullSpecWithRelativePaths() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Four things about space
            aspect: "16:9"
            voice: { name: "espeak:en-gb", speed: 1.25 }
            music: { file: music.mp3, volume: 0.3 }
            library: [library]
            captions: { enabled: false, words_per_line: 4, font: "DejaVu Sans" }
            transition: { fade: 0.5 }
            scenes:
              - text: The rocket lifts off.
                media: [clips/rocket.mp4, "clips/../clips/moon.jpg"]
                queries: [rocket launch, night sky]
              - A second scene, written as plain text.
            output: { path: renders/space.mp4, preset: fast, fps: 25, crf: 23 }
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        #expect(spec.title == "Four things about space")
        #expect(spec.aspect == .landscape)
        #expect(spec.voice == VoiceChoice(engine: "espeak", voice: "en-gb", speed: 1.25))
        #expect(spec.music == Music(file: folder.path("music.mp3"), volume: 0.3))
        #expect(spec.library.map(\.path) == [folder.path("library").path])
        #expect(spec.captions == CaptionSettings(enabled: false, maxWordsPerLine: 4, font: "DejaVu Sans"))
        #expect(spec.transition == .fade(seconds: 0.5))
        #expect(spec.scenes.count == 2)
        #expect(spec.scenes[0].text == "The rocket lifts off.")
        #expect(spec.scenes[0].media == [folder.path("clips/rocket.mp4"), folder.path("clips/moon.jpg")])
        #expect(spec.scenes[0].media.allSatisfy { !$0.path.contains("..") })
        #expect(spec.scenes[0].queries == ["rocket launch", "night sky"])
        #expect(spec.scenes[1] == Scene(text: "A second scene, written as plain text."))
        #expect(spec.output.path == folder.path("renders/space.mp4"))
        #expect(spec.output.preset == "fast")
        #expect(spec.output.fps == 25)
        #expect(spec.output.crf == 23)
        #expect(spec.voiceover == nil)
    }

    @Test func relativePathsResolveAgainstTheBaseDirectoryNotTheWorkingDirectory() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Paths
            scenes:
              - text: One.
                media: clips/rocket.mp4
            voiceover: { audio: voice.wav, words: words.json }
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        #expect(spec.scenes[0].media == [folder.path("clips/rocket.mp4")])
        #expect(spec.voiceover == Voiceover(audio: folder.path("voice.wav"), words: folder.path("words.json")))
        #expect(spec.scenes[0].media[0].path.hasPrefix(folder.url.path))
        #expect(FileManager.default.fileExists(atPath: spec.scenes[0].media[0].path))
    }

    @Test func absolutePathsAreKept() throws {
        let folder = try SpecFolder()
        let other = try SpecFolder()
        let absolute = other.path("clips/moon.jpg").path
        let yaml = """
            title: Absolute
            scenes:
              - text: One.
                media: ["\(absolute)"]
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        #expect(spec.scenes[0].media.map(\.path) == [absolute])
    }

    @Test func defaultsApplyWhenFieldsAreLeftOut() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: "Four Things: About Space!"
            scenes: [Hello there.]
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        // No voice named: the language's default, hibari's heart for English, chosen when the job runs.
        #expect(spec.voice == nil && spec.language == .english)
        #expect(try spec.narrationVoice(in: VoiceCatalog()).description == "hibari:heart")
        #expect(spec.aspect == .portrait)
        #expect(spec.aspect.width == 1080 && spec.aspect.height == 1920)
        #expect(spec.transition == .standard)
        #expect(spec.captions == CaptionSettings(enabled: true, maxWordsPerLine: 3, font: "Open Sans"))
        #expect(spec.music == nil)
        #expect(spec.voiceover == nil)
        #expect(spec.library.isEmpty)
        #expect(spec.output.path == folder.path("out/four-things-about-space.mp4"))
        #expect(spec.output.preset == "veryfast")
        #expect(spec.output.fps == 30)
        #expect(spec.output.crf == 21)
    }

    @Test func outputBlockWithoutPathStillUsesTheDefaultPath() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Quick one
            scenes: [Hi.]
            output: { preset: ultrafast }
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        #expect(spec.output.path == folder.path("out/quick-one.mp4"))
        #expect(spec.output.preset == "ultrafast")
    }

    @Test func voiceWithoutVoiceNameDefaultsToEnUS() throws {
        let folder = try SpecFolder()
        let spec = try JobSpec.parse(yaml: "title: T\nvoice: espeak\nscenes: [Hi.]\n", file: "test.yaml", baseDirectory: folder.url)
        #expect(spec.voice == VoiceChoice(engine: "espeak", voice: "en-us"))
    }

    // MARK: - Errors

    @Test func unknownFieldNamesTheFieldTheLineAndTheCloseMatch() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Typo
            aspect: "9:16"
            scens:
              - Hello.
            """
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .unknownField)
        #expect(error.line == 3)
        #expect(error.message.contains("\"scens\""))
        #expect(error.message.contains("did you mean \"scenes\""))
        #expect(error.description.hasPrefix("test.yaml:3: "))
    }

    @Test func unknownNestedFieldCarriesTheParentPath() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Typo
            scenes:
              - text: Hello.
                querys: [space]
            """
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .unknownField)
        #expect(error.line == 4)
        #expect(error.field == "scenes[0]")
        #expect(error.message.contains("did you mean \"queries\""))
    }

    @Test func unknownFieldFarFromAnyNameGetsNoSuggestion() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\nzzzzzzzzzz: 1\n", in: folder))
        #expect(error.code == .unknownField)
        #expect(error.line == 3)
        #expect(!error.message.contains("did you mean"))
    }

    @Test func wrongTypeNamesTheLineAndTheFieldPath() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Wrong type
            scenes: [Hello.]
            output:
              preset: fast
              fps: fast
            """
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .wrongType)
        #expect(error.line == 5)
        #expect(error.field == "output.fps")
        #expect(error.description.hasPrefix("test.yaml:5: output.fps: "))
    }

    @Test func outOfRangeNumberIsAnInvalidValue() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\noutput: { fps: 500 }\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "output.fps")
        #expect(error.line == 3)
    }

    @Test func missingTitle() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("scenes: [Hello.]\n", in: folder))
        #expect(error.code == .missingField)
        #expect(error.message.contains("title"))
    }

    @Test func emptyTitle() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: \"  \"\nscenes: [Hello.]\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "title")
        #expect(error.line == 1)
    }

    @Test func missingScenes() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: No scenes\naspect: \"9:16\"\n", in: folder))
        #expect(error.code == .missingField)
        #expect(error.message.contains("scenes"))
    }

    @Test func emptySceneList() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: Empty\nscenes: []\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "scenes")
        #expect(error.line == 2)
    }

    @Test func scenesThatAreNotAListAreAWrongType() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: just one\n", in: folder))
        #expect(error.code == .wrongType)
        #expect(error.field == "scenes")
    }

    @Test func missingMediaFileNamesTheItemAndLine() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Missing
            scenes:
              - text: First.
                media: [clips/rocket.mp4]
              - text: Second.
                media: [clips/rocket.mp4, clips/rokcet.jpg]
            """
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .missingFile)
        #expect(error.line == 6)
        #expect(error.field == "scenes[1].media[1]")
        #expect(error.message.contains("rokcet.jpg"))
    }

    @Test func missingMusicAndVoiceoverFiles() throws {
        let folder = try SpecFolder()
        let music = try #require(parseError("title: T\nscenes: [Hi.]\nmusic: nope.mp3\n", in: folder))
        #expect(music.code == .missingFile)
        #expect(music.line == 3)
        let voiceover = try #require(parseError("title: T\nscenes: [Hi.]\nvoiceover:\n  audio: voice.wav\n  words: none.json\n", in: folder))
        #expect(voiceover.code == .missingFile)
        #expect(voiceover.field == "voiceover.words")
        #expect(voiceover.line == 5)
    }

    @Test func folderGivenWhereAFileIsNeeded() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\nmusic: clips\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "music")
    }

    @Test func badAspect() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\naspect: \"4:3\"\nscenes: [Hi.]\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "aspect")
        #expect(error.line == 2)
        #expect(error.message.contains("4:3"))
    }

    @Test func badPreset() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\noutput:\n  preset: turbo\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "output.preset")
        #expect(error.line == 4)
        #expect(error.message.contains("turbo"))
        #expect(error.message.contains("veryfast"))
    }

    @Test func badVoiceEngine() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\nvoice: polly:joanna\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "voice")
        #expect(error.message.contains("polly"))
    }

    @Test func outputMustBeMP4() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("title: T\nscenes: [Hi.]\noutput: { path: out/video.mov }\n", in: folder))
        #expect(error.code == .invalidValue)
        #expect(error.field == "output.path")
    }

    @Test func invalidYAMLGivesTheLine() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: Broken
            scenes:
              - text: "unterminated
            output: { fps: 30 }
            """
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .invalidYAML)
        let line = try #require(error.line)
        #expect((3...5).contains(line))
    }

    @Test func invalidYAMLBadIndentationGivesTheLine() throws {
        let folder = try SpecFolder()
        let yaml = "title: T\nscenes:\n  - a\n - b\n"
        let error = try #require(parseError(yaml, in: folder))
        #expect(error.code == .invalidYAML)
        let line = try #require(error.line)
        #expect((3...4).contains(line))
    }

    @Test func emptyDocumentIsAMissingFieldError() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("", in: folder))
        #expect(error.code == .missingField)
    }

    @Test func aTopLevelListIsAWrongType() throws {
        let folder = try SpecFolder()
        let error = try #require(parseError("- a\n- b\n", in: folder))
        #expect(error.code == .wrongType)
    }

    /// Error descriptions are printed as one line; a value holding a line break must not break it.
    @Test(arguments: [
        "title: T\naspect: \"4:3\\nportrait\"\nscenes: [Hi.]\n",
        "title: T\nscenes: [Hi.]\noutput: { preset: \"very\\nfast\" }\n",
        "title: T\nscenes:\n  - text: Hi.\n    media: [\"no\\nsuch.mp4\"]\n",
        "title: T\nscenes: [Hi.]\n\"sce\\nnes\": 1\n",
    ])
    func descriptionStaysOnOneLineWhenTheValueHasALineBreak(yaml: String) throws {
        let folder = try SpecFolder()
        _ = parseError(yaml, in: folder)
    }

    /// A voice name with no engine (`voice: ":"`) must be reported, not crash the program. Run in a
    /// child process so a crash fails this test instead of the whole run.
    @Test func voiceNameMadeOfAColonIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            do {
                _ = try JobSpec.parse(yaml: "title: T\nvoice: \":\"\nscenes: [Hi.]\n", file: "t.yaml", baseDirectory: URL(fileURLWithPath: "/"))
                exit(2) // accepted a voice with no engine
            } catch let error as SpecError {
                exit(error.code == .invalidValue ? 0 : 3)
            } catch {
                exit(4)
            }
        }
    }

    // MARK: - Scripts

    @Test func scriptParagraphsBecomeScenesAndAHeadingBecomesTheTitle() throws {
        let script = """
            Three facts about octopuses

            Octopuses have three hearts.
            Two pump blood to the gills.

            Their blood is blue!
            \t
            And they can taste with their arms.
            """
        let output = URL(fileURLWithPath: "/tmp/out/octopus.mp4")
        let spec = try JobSpec.fromScript(script.replacingOccurrences(of: "\n", with: "\r\n"), file: "notes/octopus.txt", output: output)
        #expect(spec.title == "Three facts about octopuses")
        #expect(spec.scenes.map(\.text) == [
            "Octopuses have three hearts. Two pump blood to the gills.",
            "Their blood is blue!",
            "And they can taste with their arms.",
        ])
        #expect(spec.scenes.allSatisfy { $0.media.isEmpty && $0.queries.isEmpty })
        #expect(spec.output.path == output)
        #expect(spec.voice == nil)
        #expect(spec.aspect == .portrait)
    }

    @Test func scriptWhoseFirstParagraphIsASentenceUsesTheFileName() throws {
        let script = "The sun is a star.\n\nIt is very old."
        let spec = try JobSpec.fromScript(script, file: "/data/sun-facts.txt", output: URL(fileURLWithPath: "/tmp/sun.mp4"))
        #expect(spec.title == "sun-facts")
        #expect(spec.scenes.map(\.text) == ["The sun is a star.", "It is very old."])
    }

    /// A sentence ends with its own script's mark: these first paragraphs are scenes, not titles.
    @Test(arguments: [
        ("東京には三千軒以上のカフェがあります。", "朝の一杯は大切です。"),
        ("「はい、そうです。」", "次の場面です。"),
        ("هل تعلم؟", "هذه حقيقة."),
        ("यह सच है।", "दूसरा दृश्य।"),
        ("Você sabia…", "É verdade."),
    ])
    func aFirstSentenceInAnyScriptStaysAScene(first: String, second: String) throws {
        let spec = try JobSpec.fromScript("\(first)\n\n\(second)", file: "/data/facts.txt", output: URL(fileURLWithPath: "/tmp/f.mp4"))
        #expect(spec.title == "facts")
        #expect(spec.scenes.map(\.text) == [first, second])
    }

    @Test func aJapaneseHeadingWithoutAFullStopIsTheTitle() throws {
        let spec = try JobSpec.fromScript("カフェの話\n\n東京には三千軒のカフェがあります。", file: "s.txt", output: URL(fileURLWithPath: "/tmp/s.mp4"))
        #expect(spec.title == "カフェの話")
        #expect(spec.scenes.count == 1)
    }

    @Test func singleParagraphIsNeverTakenAsTheTitle() throws {
        let spec = try JobSpec.fromScript("Just a heading", file: "x/one.txt", output: URL(fileURLWithPath: "/tmp/one.mp4"))
        #expect(spec.title == "one")
        #expect(spec.scenes.map(\.text) == ["Just a heading"])
    }

    @Test func explicitTitleWinsAndTheHeadingStaysAScene() throws {
        let script = "A heading\n\nBody text."
        let spec = try JobSpec.fromScript(script, file: "s.txt", title: "Given", output: URL(fileURLWithPath: "/tmp/s.mp4"))
        #expect(spec.title == "Given")
        #expect(spec.scenes.map(\.text) == ["A heading", "Body text."])
    }

    @Test func punctuationOnlyParagraphsAreDropped() throws {
        let spec = try JobSpec.fromScript("First one.\n\n---\n\nSecond one.", file: "s.txt", output: URL(fileURLWithPath: "/tmp/s.mp4"))
        #expect(spec.scenes.map(\.text) == ["First one.", "Second one."])
    }

    @Test(arguments: ["", "   \n\n \t \n", "...\n\n— !"])
    func emptyScriptIsRefused(script: String) {
        do {
            let spec = try JobSpec.fromScript(script, file: "empty.txt", output: URL(fileURLWithPath: "/tmp/e.mp4"))
            Issue.record("expected emptyScript, got \(spec)")
        } catch {
            #expect(error.code == .emptyScript)
            #expect(error.file == "empty.txt")
            #expect(!error.description.contains("\n"))
        }
    }

    // MARK: - Writing

    @Test func yamlRoundTripOfAParsedSpec() throws {
        let folder = try SpecFolder()
        let yaml = """
            title: "Quotes \\"and\\" slashes / and ünïcode — ok"
            aspect: "1:1"
            voice: { name: "espeak:en-gb", speed: 0.75 }
            voiceover: { audio: voice.wav, words: words.json }
            music: { file: music.mp3, volume: 0.15 }
            library: [library, clips]
            captions: { enabled: true, words_per_line: 2, font: "Noto Sans" }
            transition: cut
            scenes:
              - text: "Line one: with a colon, # and a hash"
                media: [clips/rocket.mp4, clips/moon.jpg]
                queries: ["rocket launch", "night: sky"]
              - text: Second scene.
            output: { path: renders/my video.mp4, preset: slow, fps: 24, crf: 18 }
            """
        let spec = try JobSpec.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.url)
        let written = spec.yaml()
        let other = try SpecFolder()
        let reparsed = try JobSpec.parse(yaml: written, file: "written.yaml", baseDirectory: other.url)
        #expect(reparsed == spec)
    }

    @Test func yamlRoundTripOfABuiltSpec() throws {
        let folder = try SpecFolder()
        let spec = JobSpec(
            title: "Built \"by hand\"\\",
            aspect: .landscape,
            voice: VoiceChoice(engine: "espeak", voice: "fr", speed: 1.5),
            music: Music(file: folder.path("music.mp3"), volume: 0.2),
            scenes: [
                Scene(text: "First: \"quoted\" {braces} [brackets]", media: [folder.path("clips/moon.jpg")], queries: ["moon"]),
                Scene(text: "Second."),
            ],
            captions: CaptionSettings(enabled: false, maxWordsPerLine: 4, font: "Open Sans"),
            transition: .fade(seconds: 0.35),
            output: OutputSettings(path: folder.path("out/built.mp4"), preset: "medium", fps: 60, crf: 0)
        )
        let reparsed = try JobSpec.parse(yaml: spec.yaml(), file: "w.yaml", baseDirectory: URL(fileURLWithPath: "/"))
        #expect(reparsed == spec)
    }
}
