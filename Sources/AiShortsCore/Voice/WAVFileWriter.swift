public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a mono 16-bit PCM WAV file piece by piece, so a long narration never sits in memory whole.
///
/// Samples go to a temporary file beside the destination; ``finish()`` writes the sizes into the
/// header and renames the file into place, so the destination holds a whole file or nothing. A
/// writer that is dropped without `finish()` removes its temporary file.
public final class WAVFileWriter {
    /// Samples per second.
    public let sampleRate: Int
    /// Where the finished file goes.
    public let destination: URL
    /// Samples written so far.
    public private(set) var sampleCount = 0
    /// Seconds written so far.
    public var seconds: Double { Double(sampleCount) / Double(sampleRate) }

    private let temporary: URL
    private let handle: FileHandle
    private var finished = false
    private var buffer: [Int16] = []

    /// Starts a file for `destination`.
    ///
    /// - Throws: ``VoiceError`` (`engineFailed`) when the folder is not writable.
    public init(destination: URL, sampleRate: Int) throws(VoiceError) {
        self.destination = destination
        self.sampleRate = sampleRate
        temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(count: 44)),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw VoiceError(.engineFailed, "cannot write narration in \(destination.deletingLastPathComponent().path); check that the folder exists and is writable")
        }
        self.handle = handle
        handle.seekToEndOfFile()
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// Appends float samples, clipped to [-1, 1] and scaled as the reference voices do (× 32767).
    public func append(_ samples: UnsafeBufferPointer<Float>) throws(VoiceError) {
        if buffer.count < samples.count { buffer = [Int16](repeating: 0, count: samples.count) }
        // A plain indexed loop over raw pointers: the compiler vectorises it (a minute of speech is
        // 1.4 million samples).
        buffer.withUnsafeMutableBufferPointer { pcm in
            for index in 0..<samples.count {
                pcm[index] = Int16(min(max(samples[index], -1), 1) * 32767).littleEndian
            }
        }
        let count = samples.count
        do {
            try buffer.withUnsafeBytes { bytes in try handle.write(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<count * 2])) }
        } catch {
            throw VoiceError(.engineFailed, "cannot write narration to \(temporary.path): \(error.localizedDescription) (disk full?)")
        }
        sampleCount += samples.count
    }

    /// Appends float samples; see ``append(_:)-(UnsafeBufferPointer<Float>)``.
    public func append(_ samples: [Float]) throws(VoiceError) {
        try samples.withUnsafeBufferPointer { (pointer) throws(VoiceError) in try append(pointer) }
    }

    /// Appends `seconds` of silence.
    public func appendSilence(seconds: Double) throws(VoiceError) {
        let count = Int((seconds * Double(sampleRate)).rounded())
        guard count > 0 else { return }
        try write([UInt8](repeating: 0, count: count * 2))
        sampleCount += count
    }

    /// Completes the header and moves the file into place.
    ///
    /// - Returns: the audio's duration in seconds.
    public func finish() throws(VoiceError) -> Double {
        let header = WAVAudio.header(sampleRate: sampleRate, sampleCount: sampleCount)
        do {
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: header)
            try handle.close()
        } catch {
            throw VoiceError(.engineFailed, "cannot write narration to \(destination.path): \(error.localizedDescription)")
        }
        // rename(2) replaces an existing file atomically; Foundation's replaceItemAt on Linux fails
        // (and deletes the destination) when one is there.
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw VoiceError(.engineFailed, "cannot write narration to \(destination.path): \(reason)")
        }
        finished = true
        return Double(sampleCount) / Double(sampleRate)
    }

    private func write(_ bytes: [UInt8]) throws(VoiceError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw VoiceError(.engineFailed, "cannot write narration to \(temporary.path): \(error.localizedDescription) (disk full?)")
        }
    }
}
