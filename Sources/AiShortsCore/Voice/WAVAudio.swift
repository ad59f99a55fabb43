public import Foundation

/// Mono 16-bit PCM audio held in memory, read from and written to WAV files.
///
/// Narration audio is small (a minute at 24 kHz is under 3 MB), so it is handled as one buffer.
public struct WAVAudio: Sendable, Hashable {
    /// Samples per second.
    public var sampleRate: Int
    /// The samples.
    public var samples: [Int16]

    /// Creates audio from samples.
    public init(sampleRate: Int, samples: [Int16] = []) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// The length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }

    /// Reads a RIFF/WAVE file holding 16-bit PCM; stereo is mixed down to mono.
    ///
    /// - Throws: ``VoiceError`` (`badVoiceover`) when the file is not such a WAV.
    public init(contentsOf url: URL) throws(VoiceError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw VoiceError(.badVoiceover, "cannot read \(url.path)")
        }
        try self.init(data: data, name: url.lastPathComponent)
    }

    /// Parses WAV bytes; see ``init(contentsOf:)``.
    public init(data: Data, name: String = "audio") throws(VoiceError) {
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw VoiceError(.badVoiceover, "\(name) is not a WAV file")
        }
        var offset = 12
        var channels = 0
        var rate = 0
        var bits = 0
        var pcm: ArraySlice<UInt8>?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            // espeak-ng writes 0x7FFFFFFF as the data size when it streams; clamp to what is there.
            let size = min(u32(offset + 4), bytes.count - offset - 8)
            let body = offset + 8
            if id == "fmt ", size >= 16 {
                guard u16(body) == 1 else { throw VoiceError(.badVoiceover, "\(name) is not 16-bit PCM") }
                channels = u16(body + 2)
                rate = u32(body + 4)
                bits = u16(body + 14)
            } else if id == "data" {
                pcm = bytes[body..<body + size]
            }
            offset = body + size + (size & 1)
        }
        guard let pcm, channels > 0, rate > 0, bits == 16 else {
            throw VoiceError(.badVoiceover, "\(name) is not 16-bit PCM WAV")
        }
        var samples: [Int16] = []
        samples.reserveCapacity(pcm.count / (2 * channels))
        var index = pcm.startIndex
        let frameBytes = 2 * channels
        while index + frameBytes <= pcm.endIndex {
            var sum = 0
            for channel in 0..<channels {
                let at = index + 2 * channel
                sum += Int(Int16(bitPattern: UInt16(pcm[at]) | UInt16(pcm[at + 1]) << 8))
            }
            samples.append(Int16(sum / channels))
            index += frameBytes
        }
        self.init(sampleRate: rate, samples: samples)
    }

    /// The 44-byte header of a mono 16-bit PCM WAV file holding `sampleCount` samples.
    public static func header(sampleRate: Int, sampleCount: Int) -> Data {
        var out = Data(capacity: 44)
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { out.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: Array("RIFF".utf8))
        append32(36 + sampleCount * 2)
        out.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)
        append16(1)
        append32(sampleRate)
        append32(sampleRate * 2)
        append16(2)
        append16(16)
        out.append(contentsOf: Array("data".utf8))
        append32(sampleCount * 2)
        return out
    }

    /// The WAV file bytes.
    public var data: Data {
        var out = Data(capacity: 44 + samples.count * 2)
        out.append(Self.header(sampleRate: sampleRate, sampleCount: samples.count))
        samples.withUnsafeBufferPointer { buffer in
            for sample in buffer { withUnsafeBytes(of: sample.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }

    /// Appends `seconds` of silence.
    public mutating func appendSilence(_ seconds: Double) {
        let count = Int((seconds * Double(sampleRate)).rounded())
        if count > 0 { samples.append(contentsOf: repeatElement(0, count: count)) }
    }

    /// The stretches that are sounding, separated by silences of at least `minimumGap` seconds.
    ///
    /// Loudness is measured in 10 ms windows; a window is silent below 2 % of the loudest window's RMS.
    public func soundingRanges(minimumGap: Double) -> [Range<Int>] {
        let window = max(sampleRate / 100, 1)
        let windows = samples.count / window + (samples.count % window == 0 ? 0 : 1)
        guard windows > 0 else { return [] }
        var rms = [Double](repeating: 0, count: windows)
        for w in 0..<windows {
            let lower = w * window
            let upper = min(lower + window, samples.count)
            var sum = 0.0
            for i in lower..<upper { let s = Double(samples[i]); sum += s * s }
            rms[w] = (sum / Double(upper - lower)).squareRoot()
        }
        let threshold = max((rms.max() ?? 0) * 0.02, 8)
        let gapWindows = max(Int((minimumGap * 100).rounded()), 1)
        var ranges: [Range<Int>] = []
        var start: Int?
        var lastLoud = -1
        for w in 0..<windows where rms[w] >= threshold {
            if let s = start, w - lastLoud - 1 >= gapWindows {
                ranges.append(s * window..<min((lastLoud + 1) * window, samples.count))
                start = w
            } else if start == nil {
                start = w
            }
            lastLoud = w
        }
        if let s = start { ranges.append(s * window..<min((lastLoud + 1) * window, samples.count)) }
        return ranges
    }
}
