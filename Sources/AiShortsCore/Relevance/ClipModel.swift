public import Foundation

/// A CLIP model folder in the common ONNX export layout, and the two models the ``ModelManager`` loads from it.
///
/// The layout is the one of Hugging Face's ONNX exports of OpenAI's CLIP (for example
/// `Xenova/clip-vit-base-patch32`, or `optimum-cli export onnx` of `openai/clip-vit-base-patch32`
/// split into its two towers):
/// - `vision_model.onnx`: `pixel_values` float `[N, 3, H, W]` → `image_embeds` float `[N, D]`;
/// - `text_model.onnx`: `input_ids` int64 `[N, 77]` (and `attention_mask` when the graph has it)
///   → `text_embeds` float `[N, D]`;
/// - `tokenizer.json` (or OpenAI's `bpe_simple_vocab_16e6.txt.gz`);
/// - optionally `preprocessor_config.json` (`image_mean`, `image_std`, `crop_size`); CLIP's own
///   values otherwise.
/// The ONNX files may sit at the top of the folder or in `onnx/`. The two towers are separate
/// requests, so the text model can be released while pictures are still being embedded.
public struct ClipModel: Sendable, Hashable {
    /// The model's name (its folder's name), for reports: `clip (NAME)`.
    public let name: String
    /// The folder.
    public let folder: URL
    /// The image tower.
    public let visionFile: URL
    /// The text tower.
    public let textFile: URL
    /// `tokenizer.json` or `bpe_simple_vocab_16e6.txt.gz`.
    public let tokenizerFile: URL
    /// The side of the square picture the vision tower takes.
    public let imageSize: Int
    /// Per-channel mean subtracted from pixels in 0…1 (R, G, B).
    public let imageMean: [Float]
    /// Per-channel standard deviation pixels are divided by (R, G, B).
    public let imageStd: [Float]

    /// CLIP's normalisation mean, used when the folder has no `preprocessor_config.json`.
    public static let defaultMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    /// CLIP's normalisation standard deviation.
    public static let defaultStd: [Float] = [0.26862954, 0.26130258, 0.27577711]
    /// The vision tower's input names and output names a CLIP export has.
    public static let visionInput = "pixel_values", visionOutput = "image_embeds"
    /// The text tower's input and output names.
    public static let textInput = "input_ids", textOutput = "text_embeds", textMask = "attention_mask"

    /// Reads the folder's layout and preprocessing settings (loads no model).
    ///
    /// - Throws: ``RelevanceError`` (`badModelFolder`) naming the missing file, on one line.
    public init(folder: URL) throws(RelevanceError) {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw RelevanceError(.badModelFolder, "no CLIP model folder at \(folder.path); give the folder of a CLIP ONNX export", path: folder.path)
        }
        func find(_ name: String, in places: [String]) -> URL? {
            places.map { folder.appendingPathComponent($0).appendingPathComponent(name) }
                .first { fileManager.fileExists(atPath: $0.path) }
        }
        func missing(_ what: String) -> RelevanceError {
            RelevanceError(.badModelFolder,
                           "\(folder.path) is not a CLIP export: no \(what); it needs vision_model.onnx and text_model.onnx (at the top or in onnx/) and tokenizer.json",
                           path: folder.path)
        }
        guard let vision = find("vision_model.onnx", in: ["", "onnx"]) else { throw missing("vision_model.onnx") }
        guard let text = find("text_model.onnx", in: ["", "onnx"]) else { throw missing("text_model.onnx") }
        guard let tokenizer = find("tokenizer.json", in: [""]) ?? find("bpe_simple_vocab_16e6.txt.gz", in: [""]) else {
            throw missing("tokenizer.json")
        }
        name = folder.standardizedFileURL.lastPathComponent
        self.folder = folder.standardizedFileURL
        visionFile = vision.standardizedFileURL
        textFile = text.standardizedFileURL
        tokenizerFile = tokenizer.standardizedFileURL
        (imageSize, imageMean, imageStd) = try Self.preprocessing(in: folder)
    }

    /// `crop_size`, `image_mean` and `image_std` from `preprocessor_config.json`, else CLIP's defaults.
    private static func preprocessing(in folder: URL) throws(RelevanceError) -> (Int, [Float], [Float]) {
        let file = folder.appendingPathComponent("preprocessor_config.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { return (224, defaultMean, defaultStd) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RelevanceError(.badModelFolder, "\(file.path) is not JSON; fix or delete it (CLIP's defaults are used without it)", path: file.path)
        }
        func floats(_ key: String) -> [Float]? {
            (root[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.floatValue }
        }
        func side(_ value: Any?) -> Int? {
            if let number = value as? NSNumber { return number.intValue }
            guard let sizes = value as? [String: Any] else { return nil }
            return (sizes["height"] as? NSNumber ?? sizes["shortest_edge"] as? NSNumber)?.intValue
        }
        let mean = floats("image_mean") ?? defaultMean
        let std = floats("image_std") ?? defaultStd
        let size = side(root["crop_size"]) ?? side(root["size"]) ?? 224
        guard mean.count == 3, std.count == 3, std.allSatisfy({ $0 > 0 }), (16...1024).contains(size) else {
            throw RelevanceError(.badModelFolder, "\(file.path) has an unusable image_mean, image_std or crop_size; fix or delete it", path: file.path)
        }
        return (size, mean, std)
    }

    /// What makes image embeddings of this model differ: the vision file (name, size, date) and the
    /// preprocessing. Part of every cached image embedding's key.
    public var visionIdentity: String {
        "clip-vision:\(Self.fileIdentity(visionFile))@\(imageSize)/\(imageMean)/\(imageStd)-v1"
    }

    /// What makes text embeddings differ: the text file and the tokenizer file.
    public var textIdentity: String {
        "clip-text:\(Self.fileIdentity(textFile))/\(Self.fileIdentity(tokenizerFile))-v1"
    }

    private static func fileIdentity(_ file: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        let size = attributes?[.size] as? Int ?? 0
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(file.lastPathComponent)#\(size)-\(Int(date))"
    }

    /// The vision tower as the manager loads and shares it.
    func visionRequest(threads: Int) -> ModelRequest<ClipVisionEncoder> {
        let file = visionFile
        return ModelRequest(id: "clip-vision:\(file.path)#\(threads)", name: "clip vision (\(name))", path: file,
                            estimatedBytes: Self.estimate(file)) {
            try ClipVisionEncoder(session: OnnxSession(path: file, threads: threads))
        }
    }

    /// The text tower, with its tokenizer, as the manager loads and shares them.
    func textRequest(threads: Int) -> ModelRequest<ClipTextEncoder> {
        let file = textFile
        let tokenizerFile = tokenizerFile
        return ModelRequest(id: "clip-text:\(file.path)#\(threads)", name: "clip text (\(name))", path: file,
                            estimatedBytes: Self.estimate(file) + (32 << 20)) {
            try ClipTextEncoder(session: OnnxSession(path: file, threads: threads),
                                tokenizer: ClipTokenizer(contentsOf: tokenizerFile))
        }
    }

    private static func estimate(_ file: URL) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return max(size * 2, 16 << 20)
    }

    /// Loads both towers and the tokenizer once, checking the names a CLIP export has; what
    /// `aishorts models add clip` runs before copying a folder in.
    ///
    /// - Throws: ``RelevanceError`` or ``ModelError`` with one line saying what is wrong.
    public func validate() throws {
        _ = try ClipVisionEncoder(session: OnnxSession(path: visionFile, threads: 1))
        _ = try ClipTextEncoder(session: OnnxSession(path: textFile, threads: 1),
                                tokenizer: ClipTokenizer(contentsOf: tokenizerFile))
    }
}
