public import Foundation
import Crypto

/// A Piper voice: a VITS model (`NAME.onnx`) and the configuration beside it (`NAME.onnx.json`).
///
/// The configuration says how text becomes the model's input (which espeak-ng voice phonemises it,
/// and the id of every phoneme) and how the model is run (its sample rate and the three inference
/// scales). It is read once, when the voice is opened; the model itself is loaded by the
/// ``ModelManager`` when a narration needs it.
public struct PiperVoice: Sendable, Hashable {
    /// The model file.
    public var model: URL
    /// The configuration file, `model` with `.json` appended.
    public var config: URL
    /// The voice's name: the model's file name without `.onnx` (`en_US-joe-medium`).
    public var name: String
    /// Samples per second of the model's audio.
    public var sampleRate: Int
    /// The espeak-ng voice that phonemises text for this model (`en-us`).
    public var espeakVoice: String
    /// Noise added to the audio's latent (`noise_scale`).
    public var noiseScale: Double
    /// Phoneme length multiplier at normal speed (`length_scale`); larger is slower.
    public var lengthScale: Double
    /// Noise added to the phoneme durations (`noise_w`).
    public var noiseW: Double
    /// The ids of each phoneme (one Unicode code point) the model knows.
    public var phonemeIDs: [Unicode.Scalar: [Int64]]
    /// A short hash of the configuration and of the model file's size and date: changes when either does.
    public var fingerprint: String

    /// The ids Piper puts between phonemes (`_`), before the text (`^`) and after it (`$`).
    var pad: [Int64] { phonemeIDs["_"] ?? [] }
    var bos: [Int64] { phonemeIDs["^"] ?? [] }
    var eos: [Int64] { phonemeIDs["$"] ?? [] }

    /// The parts of the configuration Piper's runtime reads; the rest (dataset, language) is ignored.
    private struct File: Decodable {
        struct Audio: Decodable { var sampleRate: Int }
        struct Espeak: Decodable { var voice: String }
        struct Inference: Decodable {
            var noiseScale: Double?
            var lengthScale: Double?
            var noiseW: Double?
        }
        var audio: Audio
        var espeak: Espeak?
        var inference: Inference?
        var phonemeType: String?
        var phonemeIdMap: [String: [Int64]]
    }

    /// Opens the voice whose model is `model`, reading `model.json`.
    ///
    /// - Throws: ``VoiceError``: `unknownVoice` when the model or its configuration is missing,
    ///   `engineFailed` when the configuration cannot be used; the message names the file.
    public init(model: URL) throws(VoiceError) {
        let fileManager = FileManager.default
        let name = model.lastPathComponent.hasSuffix(".onnx") ? String(model.lastPathComponent.dropLast(5)) : model.lastPathComponent
        guard fileManager.fileExists(atPath: model.path) else {
            throw VoiceError(.unknownVoice, "no Piper voice at \(model.path); `aishorts voices` lists the installed ones")
        }
        let config = model.appendingPathExtension("json")
        let data: Data
        do { data = try Data(contentsOf: config) } catch {
            throw VoiceError(.unknownVoice, "Piper voice \(name) has no configuration \(config.path); a voice is NAME.onnx with NAME.onnx.json beside it")
        }
        let file: File
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            file = try decoder.decode(File.self, from: data)
        } catch {
            throw VoiceError(.engineFailed, "\(config.path) is not a Piper voice configuration (\(Self.describe(error)))")
        }
        if let type = file.phonemeType, type != "espeak" {
            throw VoiceError(.engineFailed, "\(config.path): phoneme_type \"\(type)\" is not supported; only espeak-phonemised voices are")
        }
        var ids: [Unicode.Scalar: [Int64]] = [:]
        for (key, value) in file.phonemeIdMap {
            // Piper maps code points; a key of several code points could never be looked up.
            guard key.unicodeScalars.count == 1, let scalar = key.unicodeScalars.first else { continue }
            ids[scalar] = value
        }
        for symbol: Unicode.Scalar in ["_", "^", "$"] where ids[symbol]?.isEmpty ?? true {
            throw VoiceError(.engineFailed, "\(config.path): phoneme_id_map has no \"\(symbol)\"; not a Piper voice configuration")
        }
        guard file.audio.sampleRate > 0 else {
            throw VoiceError(.engineFailed, "\(config.path): sample_rate \(file.audio.sampleRate) is not a sample rate")
        }

        self.model = model
        self.config = config
        self.name = name
        sampleRate = file.audio.sampleRate
        espeakVoice = file.espeak?.voice ?? "en-us"
        noiseScale = file.inference?.noiseScale ?? 0.667
        lengthScale = file.inference?.lengthScale ?? 1
        noiseW = file.inference?.noiseW ?? 0.8
        phonemeIDs = ids
        fingerprint = Self.fingerprint(config: data, model: model)
    }

    /// Hashes the configuration's bytes with the model's size and date: hashing the model's 60 MB on
    /// every narrator creation would cost more than the cache saves, and a new model file gets a new
    /// date anyway.
    private static func fingerprint(config: Data, model: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: model.path)
        let size = attributes?[.size] as? Int ?? 0
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var hasher = SHA256()
        hasher.update(data: config)
        hasher.update(data: Data("\(size)-\(Int(date))".utf8))
        return hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// A decoding error in one line: which key is missing or of the wrong type.
    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?:
            return "not valid JSON"
        default:
            return "\(error)"
        }
    }

    /// The model's input ids for a phoneme sequence, as Piper makes them.
    ///
    /// `^`, then each known phoneme's ids followed by the pad `_`, then `$`; unknown code points are
    /// skipped, as Piper does. `owners` gives, for each id, the index into `phonemes` it came from
    /// (`nil` for `^`, the pad after it, and `$`), so durations can be traced back to phonemes.
    func ids(for phonemes: [Unicode.Scalar]) -> (ids: [Int64], owners: [Int?]) {
        var ids = bos + pad
        var owners = [Int?](repeating: nil, count: ids.count)
        for (index, phoneme) in phonemes.enumerated() {
            guard let mapped = phonemeIDs[phoneme] else { continue }
            ids += mapped + pad
            owners += [Int?](repeating: index, count: mapped.count + pad.count)
        }
        ids += eos
        owners += [Int?](repeating: nil, count: eos.count)
        return (ids, owners)
    }
}
