import AiShortsCore
import ArgumentParser
import Foundation

/// `aishorts library FOLDER…`: indexes the user's own footage once, so jobs that search it start at once.
struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Index folders of your own videos and pictures for CLIP: hashes and embeddings, once.",
        discussion: """
            A job whose spec lists `library` folders indexes them itself; run this ahead of time for a large \
            library, so the first job does not wait. It needs a CLIP model (`aishorts models`): every picture \
            and one frame of every video is hashed and embedded once and kept in the index (cache folder, \
            index.sqlite), so scenes can find files whose names say nothing. Later runs compare only sizes and \
            modification times. Run it again after adding files; it only reads what changed. Without CLIP, \
            files are matched by their names and .tags sidecars, which needs no index.
            """
    )

    @Argument(help: "Folders (or single files) of videos and pictures.", completion: .directory)
    var folders: [String]

    @Option(help: "The CLIP model to embed with: an installed name or a folder (default: the first installed; `metadata` embeds nothing).")
    var clip: String?

    @Option(help: "Cache folder holding the index (default: $AISHORTS_CACHE, else $XDG_CACHE_HOME/aishorts, else ~/.cache/aishorts).")
    var cacheDir: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("name at least one folder of videos or pictures") }
    }

    func run() async throws {
        let urls = folders.map { URL(fileURLWithPath: $0).standardizedFileURL }
        for url in urls where !FileManager.default.fileExists(atPath: url.path) {
            throw Runner.fail(ValidationError("\(url.path) does not exist; give a folder of videos or pictures"))
        }
        let cache = DiskCache(root: cacheDir.map { URL(fileURLWithPath: $0) } ?? DiskCache.defaultRoot)
        let catalog = VoiceCatalog()
        let indexer = LibraryIndexer(index: try Runner.orExit { try MediaIndex(in: cache) }, digests: FileDigests())
        let start = ContinuousClock.now
        let result: LibraryIndexer.Result
        do {
            result = try await indexer.index(folders: urls, clip: clip, locations: catalog.locations, models: catalog.models, cache: cache)
        } catch {
            throw Runner.fail(error)
        }
        await catalog.models.releaseIdleModels()
        let seconds = (ContinuousClock.now - start).inSeconds
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
            return
        }
        let scan = result.scan
        guard let scorer = result.scorer else {
            // Nothing to index: names and tags are read by each job, which costs no hashing.
            print("library: \(scan.files.count) files, not indexed: \(result.note ?? "no CLIP model")")
            return
        }
        print("library: \(scan.files.count) files (\(scan.added) new, \(scan.changed) changed, \(scan.unchanged) unchanged, \(scan.removed) removed) in \(String(format: "%.2f", seconds)) s")
        for path in scan.unreadable { print("  skipped (unreadable): \(Runner.relative(path))") }
        print("embedded with \(scorer): \(result.embedded) new, \(result.alreadyEmbedded) already in the index, \(result.undecodable) undecodable")
        print("index:   \(Runner.relative(indexer.index.path.path))")
    }
}
