public import Foundation

extension ModelLocations {
    /// Where `aishorts models add` installs: `$XDG_DATA_HOME/aishorts/models`, else
    /// `~/.local/share/aishorts/models` (the second place ``standard(environment:executable:)`` searches).
    public static func installRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share", isDirectory: true)
        return dataHome.appendingPathComponent("aishorts/models", isDirectory: true)
    }

    /// Every installed CLIP model folder (`<root>/clip/<name>/`), the first found per name.
    public var clipModels: [URL] {
        var seen = Set<String>()
        var models: [URL] = []
        for root in roots {
            let folder = root.appendingPathComponent("clip", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") && seen.insert(name).inserted {
                models.append(folder.appendingPathComponent(name, isDirectory: true))
            }
        }
        return models
    }

    /// The installed CLIP model called `name`, or the folder `name` is a path of.
    public func clipModel(_ name: String) -> URL? {
        if name.contains("/") {
            let url = URL(fileURLWithPath: name, isDirectory: true)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        return clipModels.first { $0.lastPathComponent == name }
    }

    /// Every installed model: the hibari voice, Piper voices, the Kokoro model and voice files, sentence-embedding
    /// models and CLIP models, with their size.
    public var installedModels: [InstalledModel] {
        var models: [InstalledModel] = []
        if let hibari {
            models.append(InstalledModel(family: "hibari", name: "heart", location: hibari.path, bytes: Self.bytes(hibari)))
        }
        for voice in piperVoices {
            let bytes = Self.bytes(voice) + Self.bytes(voice.appendingPathExtension("json"))
            models.append(InstalledModel(family: "piper", name: voice.deletingPathExtension().lastPathComponent,
                                         location: voice.path, bytes: bytes))
        }
        if let kokoro = kokoroModel {
            models.append(InstalledModel(family: "kokoro", name: kokoro.lastPathComponent, location: kokoro.path, bytes: Self.bytes(kokoro)))
        }
        for file in Set(kokoroVoices.map(\.file)).sorted(by: { $0.path < $1.path }) {
            let names = kokoroVoices.filter { $0.file == file }.map(\.name)
            models.append(InstalledModel(family: "kokoro", name: names.count == 1 ? names[0] : "\(file.lastPathComponent) (\(names.count) voices)",
                                         location: file.path, bytes: Self.bytes(file)))
        }
        for model in textEmbeddingModels {
            models.append(InstalledModel(family: "embedding", name: model.lastPathComponent, location: model.path, bytes: Self.bytes(model)))
        }
        for clip in clipModels {
            models.append(InstalledModel(family: "clip", name: clip.lastPathComponent, location: clip.path, bytes: Self.bytes(clip)))
        }
        return models
    }

    /// A file's size, or the sizes of a folder's files added up.
    static func bytes(_ url: URL) -> Int {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return 0 }
        guard isFolder.boolValue else {
            return (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        }
        var total = 0
        let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let file = files?.nextObject() as? URL {
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values?.isRegularFile == true { total += values?.fileSize ?? 0 }
        }
        return total
    }
}
