import AiShortsCore
import Foundation
import Testing

/// Builds WAV bytes by hand, so the reader is tested against the format, not against its own writer.
private func wavBytes(
    channels: Int,
    sampleRate: Int,
    bitsPerSample: Int = 16,
    format: Int = 1,
    frames: [[Int16]],
    extraChunk: (id: String, body: [UInt8])? = nil
) -> Data {
    var out = Data()
    func append32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { out.append(contentsOf: $0) } }
    func append16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { out.append(contentsOf: $0) } }
    let dataSize = frames.count * channels * 2
    out.append(contentsOf: Array("RIFF".utf8))
    append32(0) // patched below
    out.append(contentsOf: Array("WAVE".utf8))
    out.append(contentsOf: Array("fmt ".utf8))
    append32(16)
    append16(format)
    append16(channels)
    append32(sampleRate)
    append32(sampleRate * channels * bitsPerSample / 8)
    append16(channels * bitsPerSample / 8)
    append16(bitsPerSample)
    if let extraChunk {
        out.append(contentsOf: Array(extraChunk.id.utf8))
        append32(extraChunk.body.count)
        out.append(contentsOf: extraChunk.body)
        if extraChunk.body.count % 2 == 1 { out.append(0) }
    }
    out.append(contentsOf: Array("data".utf8))
    append32(dataSize)
    for frame in frames {
        for sample in frame { withUnsafeBytes(of: sample.littleEndian) { out.append(contentsOf: $0) } }
    }
    let riffSize = UInt32(out.count - 8).littleEndian
    withUnsafeBytes(of: riffSize) { out.replaceSubrange(4..<8, with: $0) }
    return out
}

/// `count` samples of a sine at `frequency` Hz.
private func sine(count: Int, sampleRate: Int, frequency: Double = 440, amplitude: Double = 12000) -> [Int16] {
    (0..<count).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
}

@Suite struct WAVAudioTests {
    @Test func writeThenReadKeepsSamplesAndRate() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234, -4321] + sine(count: 1000, sampleRate: 22050)
        let audio = WAVAudio(sampleRate: 22050, samples: samples)
        let data = audio.data
        #expect(data.count == 44 + samples.count * 2)
        #expect(Array(data.prefix(4)) == Array("RIFF".utf8))
        let read = try WAVAudio(data: data)
        #expect(read.sampleRate == 22050)
        #expect(read.samples == samples)
        #expect(read == audio)
        #expect(abs(read.duration - Double(samples.count) / 22050) < 1e-12)
    }

    @Test func roundTripThroughAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-wav-\(UUID().uuidString).wav")
        defer { try? FileManager.default.removeItem(at: url) }
        let audio = WAVAudio(sampleRate: 48000, samples: sine(count: 4800, sampleRate: 48000))
        try audio.data.write(to: url)
        let read = try WAVAudio(contentsOf: url)
        #expect(read == audio)
        #expect(abs(read.duration - 0.1) < 1e-12)
    }

    @Test func emptyAudioRoundTrips() throws {
        let read = try WAVAudio(data: WAVAudio(sampleRate: 16000).data)
        #expect(read.samples.isEmpty)
        #expect(read.sampleRate == 16000)
        #expect(read.duration == 0)
    }

    @Test func readsAHandWrittenMonoFile() throws {
        let data = wavBytes(channels: 1, sampleRate: 8000, frames: [[100], [-200], [300]])
        let audio = try WAVAudio(data: data)
        #expect(audio.sampleRate == 8000)
        #expect(audio.samples == [100, -200, 300])
    }

    @Test func stereoIsMixedDownToMono() throws {
        let frames: [[Int16]] = [[1000, 3000], [-100, -300], [32767, 32767], [-32768, -32768], [500, -500]]
        let audio = try WAVAudio(data: wavBytes(channels: 2, sampleRate: 44100, frames: frames))
        #expect(audio.sampleRate == 44100)
        #expect(audio.samples == [2000, -200, 32767, -32768, 0])
        #expect(abs(audio.duration - 5.0 / 44100) < 1e-12)
    }

    @Test func chunksBeforeTheDataAreSkipped() throws {
        let data = wavBytes(
            channels: 1, sampleRate: 16000, frames: [[7], [8], [9]],
            extraChunk: (id: "LIST", body: Array("INFOsoftware".utf8) + [0x41]) // odd size, padded
        )
        let audio = try WAVAudio(data: data)
        #expect(audio.samples == [7, 8, 9])
    }

    @Test func streamedDataSizeIsClampedToWhatIsThere() throws {
        // espeak-ng writes 0x7FFFFFFF as the data size when it writes to a pipe.
        var data = wavBytes(channels: 1, sampleRate: 22050, frames: [[1], [2], [3], [4]])
        let sizeOffset = data.count - 8 - 4
        withUnsafeBytes(of: UInt32(0x7FFF_FFFF).littleEndian) { data.replaceSubrange(sizeOffset..<sizeOffset + 4, with: $0) }
        let audio = try WAVAudio(data: data)
        #expect(audio.samples == [1, 2, 3, 4])
    }

    @Test(arguments: [
        Data("not a wav file at all, just text".utf8),
        Data(),
        Data("RIFF".utf8),
        Data([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41, 0x56, 0x49, 0x20]), // RIFF....AVI
        Data([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]), // WAVE with no chunks
    ])
    func nonWAVBytesAreABadVoiceover(data: Data) {
        do {
            let audio = try WAVAudio(data: data, name: "clip.bin")
            Issue.record("expected badVoiceover, read \(audio.samples.count) samples")
        } catch {
            #expect(error.code == .badVoiceover)
        }
    }

    @Test func nonPCMAndNon16BitAreRefused() {
        let float = wavBytes(channels: 1, sampleRate: 8000, format: 3, frames: [[1], [2]])
        let eightBit = wavBytes(channels: 1, sampleRate: 8000, bitsPerSample: 8, frames: [[1], [2]])
        for data in [float, eightBit] {
            do {
                _ = try WAVAudio(data: data)
                Issue.record("expected badVoiceover")
            } catch {
                #expect(error.code == .badVoiceover)
            }
        }
    }

    @Test func everyTruncationOfAWAVEitherParsesOrThrows() {
        let full = wavBytes(
            channels: 2, sampleRate: 8000, frames: [[1, 3], [5, 7], [9, 11]],
            extraChunk: (id: "LIST", body: Array("abc".utf8))
        )
        let dataStart = full.count - 12 // the 3 stereo frames
        for length in 0...full.count {
            let prefix = full.prefix(length)
            do {
                let audio = try WAVAudio(data: Data(prefix))
                // Only a prefix that reaches the data chunk parses, keeping the whole frames it holds.
                #expect(length >= dataStart)
                #expect(audio.samples == Array([2, 6, 10].prefix(max(length - dataStart, 0) / 4)))
            } catch {
                #expect(error.code == .badVoiceover)
                #expect(length < dataStart)
            }
        }
    }

    @Test func missingFileIsABadVoiceover() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-missing-\(UUID().uuidString).wav")
        do {
            _ = try WAVAudio(contentsOf: url)
            Issue.record("expected badVoiceover")
        } catch {
            #expect(error.code == .badVoiceover)
        }
    }

    @Test func appendSilenceAddsZeros() {
        var audio = WAVAudio(sampleRate: 1000, samples: [5])
        audio.appendSilence(0.25)
        #expect(audio.samples.count == 251)
        #expect(audio.samples.dropFirst().allSatisfy { $0 == 0 })
        audio.appendSilence(0)
        audio.appendSilence(-1)
        #expect(audio.samples.count == 251)
    }

    // MARK: - Sounding ranges

    @Test(arguments: [1, 3, 6])
    func findsEveryBurstBetweenSilences(bursts: Int) {
        let rate = 16000
        let window = rate / 100
        var audio = WAVAudio(sampleRate: rate)
        var expected: [Range<Int>] = []
        audio.appendSilence(0.2)
        for index in 0..<bursts {
            let start = audio.samples.count
            // Bursts of different lengths and loudness, with gaps of at least 0.3 s.
            let length = Int(Double(rate) * (0.15 + 0.05 * Double(index)))
            audio.samples += sine(count: length, sampleRate: rate, frequency: 300 + 50 * Double(index), amplitude: 6000 + 2000 * Double(index % 3))
            expected.append(start..<audio.samples.count)
            audio.appendSilence(0.3 + 0.1 * Double(index % 2))
        }
        let ranges = audio.soundingRanges(minimumGap: 0.22)
        #expect(ranges.count == bursts)
        for (found, truth) in zip(ranges, expected) {
            #expect(abs(found.lowerBound - truth.lowerBound) <= window, "found \(found), expected \(truth)")
            #expect(abs(found.upperBound - truth.upperBound) <= window, "found \(found), expected \(truth)")
        }
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound < b.lowerBound) }
    }

    @Test func aGapShorterThanMinimumGapDoesNotSplit() {
        let rate = 16000
        var audio = WAVAudio(sampleRate: rate)
        audio.appendSilence(0.1)
        audio.samples += sine(count: rate / 5, sampleRate: rate)
        audio.appendSilence(0.1) // a pause inside a word
        audio.samples += sine(count: rate / 5, sampleRate: rate)
        audio.appendSilence(0.4) // a word boundary
        audio.samples += sine(count: rate / 5, sampleRate: rate)
        let ranges = audio.soundingRanges(minimumGap: 0.22)
        #expect(ranges.count == 2)
        #expect(audio.soundingRanges(minimumGap: 0.05).count == 3)
        #expect(audio.soundingRanges(minimumGap: 1).count == 1)
        if ranges.count == 2 {
            // The first range spans both parts and the short pause between them.
            #expect(abs(ranges[0].lowerBound - rate / 10) <= rate / 100)
            #expect(abs(ranges[0].upperBound - (rate / 10 + 2 * (rate / 5) + rate / 10)) <= rate / 100)
        }
    }

    @Test func quietNoiseBelowTheThresholdCountsAsSilence() {
        let rate = 16000
        var audio = WAVAudio(sampleRate: rate)
        // Background hiss at about 0.5 % of the speech level.
        let hiss = sine(count: rate / 2, sampleRate: rate, frequency: 3000, amplitude: 60)
        audio.samples += hiss
        audio.samples += sine(count: rate / 4, sampleRate: rate, amplitude: 12000)
        audio.samples += hiss
        audio.samples += sine(count: rate / 4, sampleRate: rate, amplitude: 12000)
        audio.samples += hiss
        #expect(audio.soundingRanges(minimumGap: 0.22).count == 2)
    }

    @Test func silenceHasNoSoundingRanges() {
        var audio = WAVAudio(sampleRate: 16000)
        #expect(audio.soundingRanges(minimumGap: 0.2).isEmpty)
        audio.appendSilence(1)
        #expect(audio.soundingRanges(minimumGap: 0.2).isEmpty)
    }
}
