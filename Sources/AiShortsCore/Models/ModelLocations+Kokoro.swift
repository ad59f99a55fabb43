public import Foundation

extension ModelLocations {
    /// The Kokoro model's file names, preferred first: the bootstrap's int8 model, then the full one.
    public static let kokoroModelNames = ["kokoro-v1.0.int8.onnx", "kokoro-v1.0.onnx"]

    /// The Kokoro-82M model (`kokoro/kokoro-v1.0.int8.onnx` or `kokoro/kokoro-v1.0.onnx`), if installed.
    public var kokoroModel: URL? {
        Self.kokoroModelNames.lazy.compactMap { find("kokoro", $0) }.first
    }

    /// Kokoro's phoneme vocabulary (`kokoro/vocab.json`), if installed.
    public var kokoroVocabulary: URL? { find("kokoro", "vocab.json") }

    /// Every installed Kokoro voice, the first found per name: the voices of each `kokoro/*.npz` pack
    /// (and npz-format `.bin` packs such as `voices-v1.0.bin`), and each raw `kokoro/NAME.bin`, by root.
    public var kokoroVoices: [KokoroVoice] {
        var seen = Set<String>()
        var voices: [KokoroVoice] = []
        for root in roots {
            let folder = root.appendingPathComponent("kokoro", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".npz") || name.hasSuffix(".bin") {
                let file = folder.appendingPathComponent(name)
                for voice in KokoroVoice.names(in: file).sorted() where seen.insert(voice).inserted {
                    voices.append(KokoroVoice(name: voice, file: file))
                }
            }
        }
        return voices
    }

    /// The installed Kokoro voice called `name`.
    public func kokoroVoice(_ name: String) -> KokoroVoice? {
        kokoroVoices.first { $0.name == name }
    }

    /// An HTS voice for open_jtalk (which will not run without one): the bootstrap's in `openjtalk/`,
    /// else one installed by Debian's `hts-voice-*` packages.
    public var openJTalkVoice: URL? {
        for root in roots {
            let folder = root.appendingPathComponent("openjtalk", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if let name = names.sorted().first(where: { $0.hasSuffix(".htsvoice") }) { return folder.appendingPathComponent(name) }
        }
        let system = URL(fileURLWithPath: "/usr/share/hts-voice", isDirectory: true)
        let files = FileManager.default.enumerator(at: system, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if file.pathExtension == "htsvoice" { return file }
        }
        return nil
    }
}
