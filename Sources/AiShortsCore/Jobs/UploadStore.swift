public import Foundation

/// A file a client uploaded: footage, a picture, a voiceover, its word timings, or music.
public struct Upload: Sendable, Hashable, Codable {
    /// The kinds of uploads.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A video.
        case video
        /// A still picture.
        case image
        /// Sound only (a voiceover or music).
        case audio
        /// Word timings for a voiceover (JSON or SRT).
        case words
    }

    /// The identifier a spec names as `upload:ID`.
    public var id: String
    /// What it is.
    public var kind: Kind
    /// The name the client gave (sanitised), for display only.
    public var name: String
    /// Its size in bytes.
    public var bytes: Int
    /// Its length in seconds, for audio and video.
    public var duration: Double?
    /// Its frame size, for pictures and video.
    public var width: Int?
    /// Its frame size, for pictures and video.
    public var height: Int?
    /// When it arrived.
    public var createdAt: Date
}

/// Stores uploads: streamed to a temporary file with a size cap, checked (ffprobe, or the word
/// timings' parser), then renamed into `uploads/<id>/`. Nothing unchecked is ever named by a spec.
public struct UploadStore: Sendable {
    /// The server's files.
    public let folders: DataFolders
    /// The largest upload, in bytes.
    public let maxBytes: Int
    /// The ffprobe program.
    public let ffprobe: Tool

    /// Creates a store.
    public init(folders: DataFolders, maxBytes: Int, ffprobe: Tool = .ffprobe) {
        self.folders = folders
        self.maxBytes = maxBytes
        self.ffprobe = ffprobe
    }

    /// Receives one file: `fill` writes its bytes as they arrive and returns the name the client
    /// gave; the upload is then checked and kept.
    /// - Throws: ``JobError``: `tooLarge` past ``maxBytes`` (nothing kept), `badRequest` for a file that
    ///   is neither media ffprobe reads nor word timings; what `fill` throws.
    public func receive(_ fill: (UploadWriter) async throws -> String) async throws -> Upload {
        try folders.create()
        let id = UUID().uuidString.lowercased()
        let incoming = folders.uploads.appendingPathComponent(".incoming-\(id)")
        defer { try? FileManager.default.removeItem(at: incoming) }
        guard FileManager.default.createFile(atPath: incoming.path, contents: nil), let handle = try? FileHandle(forWritingTo: incoming) else {
            throw JobError(.storage, "cannot write to the uploads folder \(folders.uploads.path)")
        }
        let writer = UploadWriter(handle: handle, maxBytes: maxBytes)
        let name: String
        do {
            defer { try? handle.close() }
            name = try await fill(writer)
        }
        let bytes = writer.bytes
        guard bytes > 0 else { throw JobError.bad("file", "the upload is empty") }
        let cleanName = Self.sanitize(name)
        // Only letters and digits reach the file name: the extension tells ffmpeg and the timings
        // parser what to expect, and nothing else from the client touches the path.
        let ext = String((cleanName as NSString).pathExtension.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(8))
        let typed = folders.uploads.appendingPathComponent(".incoming-\(id).\(ext.isEmpty ? "bin" : ext)")
        guard rename(incoming.path, typed.path) == 0 else { throw JobError(.storage, "cannot rename in \(folders.uploads.path)") }
        defer { try? FileManager.default.removeItem(at: typed) }
        var upload = Upload(id: id, kind: .video, name: cleanName, bytes: bytes, duration: nil, width: nil, height: nil, createdAt: Date())
        if ["json", "srt"].contains(ext) {
            do { _ = try WordTimings.load(from: typed) } catch {
                throw JobError.bad("file", "\(cleanName) is not word timings: \(error.description)")
            }
            upload.kind = .words
        } else {
            switch try await MediaProbe(tool: ffprobe).probe(typed) {
            case .unreadable(let ffprobeSays):
                // ffprobe names the file by its path in the server's folders: show the client's name.
                let reason = ffprobeSays.replacingOccurrences(of: typed.path, with: cleanName)
                throw JobError.bad("file", "\(cleanName) is not a video, picture or sound ffmpeg can read (\(reason)); upload MP4, MOV, WebM, JPEG, PNG, WAV, MP3, M4A, or word timings as .json or .srt")
            case .readable(let info):
                upload.kind = info.kind == .audio ? .audio : info.kind == .still ? .image : .video
                upload.duration = info.duration
                if info.kind != .audio {
                    upload.width = info.width
                    upload.height = info.height
                }
            }
        }
        let folder = folders.uploads.appendingPathComponent(id, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(upload).write(to: folders.uploads.appendingPathComponent("\(id).json"), options: .atomic)
            guard rename(typed.path, folder.appendingPathComponent("upload.\(ext.isEmpty ? "bin" : ext)").path) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw JobError(.storage, "cannot keep the upload in \(folders.uploads.path) (\(JobSpec.reason(error)))")
        }
        return upload
    }

    /// A kept upload's description, or `nil`.
    public func upload(_ id: String) -> Upload? {
        guard SpecPaths.isUploadID(Substring(id)),
              let data = try? Data(contentsOf: folders.uploads.appendingPathComponent("\(id).json")) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Upload.self, from: data)
    }

    /// A client's file name made safe for display and for choosing an extension: no folders, no
    /// control characters, at most 100 characters.
    static func sanitize(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        let trimmed = clean.hasPrefix(".") ? String(clean.drop(while: { $0 == "." })) : clean
        return trimmed.isEmpty ? "upload" : String(trimmed.suffix(100))
    }
}

/// Writes an upload's bytes as they arrive, refusing more than the store's limit.
///
/// Used by one task at a time, inside ``UploadStore/receive(_:)``.
public final class UploadWriter {
    private let handle: FileHandle
    private let maxBytes: Int
    /// Bytes written so far.
    public private(set) var bytes = 0

    init(handle: FileHandle, maxBytes: Int) {
        self.handle = handle
        self.maxBytes = maxBytes
    }

    /// Appends bytes.
    /// - Throws: ``JobError`` `tooLarge` past the limit; a write error.
    public func write(_ chunk: [UInt8]) throws {
        bytes += chunk.count
        guard bytes <= maxBytes else {
            throw JobError(.tooLarge, "the upload is larger than \(maxBytes >> 20) MB (the server's --max-upload-mb)", field: "file")
        }
        try handle.write(contentsOf: chunk)
    }
}
