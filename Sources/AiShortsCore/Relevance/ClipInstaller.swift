public import Foundation

/// Installs a CLIP export into a models folder (`aishorts models add clip PATH`) after checking it.
///
/// Only the files the engine uses are copied (an export folder often also holds quantised and fp16
/// variants of every graph): the two ONNX files (with their external weights, if any), the tokenizer
/// and its config, the preprocessor config, and licence or read-me files. They are copied into a
/// hidden temporary folder, which is renamed into place, so an interrupted copy never looks installed.
public enum ClipInstaller {
    /// Files copied besides the two graphs and the tokenizer, when the export has them.
    static let optionalFiles = ["preprocessor_config.json", "tokenizer_config.json", "special_tokens_map.json", "config.json",
                                "vision_model.onnx_data", "text_model.onnx_data"]

    /// Checks the export at `source` and copies it to `<root>/clip/<name>/`.
    ///
    /// - Parameters:
    ///   - name: the installed name; the source folder's name when `nil`. Letters, digits, `.`, `_`, `-`.
    ///   - root: the models folder (``ModelLocations/installRoot(environment:)``).
    /// - Returns: the installed model.
    /// - Throws: ``RelevanceError`` (`badModelFolder`, `badModel`, `badTokenizer`, `installFailed`) or
    ///   ``ModelError`` (a graph ONNX Runtime cannot load), each one line.
    public static func install(from source: URL, name: String? = nil, into root: URL) throws -> ClipModel {
        let model = try ClipModel(folder: source)
        let name = name ?? model.name
        guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw RelevanceError(.installFailed, "\"\(name)\" is not a usable model name; use letters, digits, '.', '_' and '-' (--name)")
        }
        try model.validate()
        let fileManager = FileManager.default
        let family = root.appendingPathComponent("clip", isDirectory: true)
        let destination = family.appendingPathComponent(name, isDirectory: true)
        guard !fileManager.fileExists(atPath: destination.path) else {
            throw RelevanceError(.installFailed, "a CLIP model named \(name) is already installed at \(destination.path); remove it first or choose another --name", path: destination.path)
        }
        let temporary = family.appendingPathComponent(".\(name).\(UUID().uuidString).partial", isDirectory: true)
        do {
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: true)
            var files = [model.visionFile, model.textFile, model.tokenizerFile]
            for extra in optionalFiles {
                for place in [source, model.visionFile.deletingLastPathComponent()] {
                    let file = place.appendingPathComponent(extra)
                    if fileManager.fileExists(atPath: file.path), !files.contains(where: { $0.lastPathComponent == extra }) { files.append(file) }
                }
            }
            let notices = (try? fileManager.contentsOfDirectory(atPath: source.path)) ?? []
            for notice in notices where ["license", "readme", "notice"].contains(where: notice.lowercased().hasPrefix) {
                files.append(source.appendingPathComponent(notice))
            }
            for file in files {
                try fileManager.copyItem(at: file, to: temporary.appendingPathComponent(file.lastPathComponent))
            }
            try fileManager.moveItem(at: temporary, to: destination)
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw RelevanceError(.installFailed, "could not copy the CLIP model into \(destination.path): \(error.localizedDescription)", path: destination.path)
        }
        return try ClipModel(folder: destination)
    }
}
