import Foundation

extension KokoroNarrator {
    /// Runs every utterance through the model into one WAV file, with each word's time.
    func speak(_ utterances: [KokoroUtterance], ids vocabulary: KokoroVocabulary, styles: KokoroStyles,
               session: OnnxSession, to destination: URL) throws -> Narration {
        guard session.outputNames.contains("durations") else {
            throw VoiceError(.engineFailed, "Kokoro model \(model.lastPathComponent) has no `durations` output, which word timings come from; add it with `.deps/venv/bin/python scripts/expose-durations.py kokoro \(model.path) \(model.path)`")
        }
        let writer = try WAVFileWriter(destination: destination, sampleRate: Self.sampleRate)
        var timed: [TimedWord] = []
        for utterance in utterances {
            try Task.checkCancellation()
            let offset = writer.seconds
            var spans = [ClosedRange<Double>?](repeating: nil, count: utterance.words.count)
            for range in utterance.chunks(limit: Self.maximumPhonemes) {
                let (ids, positions) = vocabulary.input(utterance, range)
                guard ids.count > 2 else { continue }
                let (audio, durations) = try synthesize(ids, style: styles.style(forLength: ids.count - 2), session: session)
                let start = writer.seconds
                try writer.append(audio)
                let units = durations.reduce(0, +)
                let secondsPerUnit = units > 0 ? Double(audio.count) / Double(units) / Double(Self.sampleRate) : 0
                var pieces: [Int: ClosedRange<Double>] = [:]
                var elapsed: Int64 = 0
                for (index, duration) in durations.enumerated() {
                    defer { elapsed += duration }
                    guard let position = positions[index], let word = utterance.owners[position] else { continue }
                    let from = Double(elapsed) * secondsPerUnit
                    let to = Double(elapsed + duration) * secondsPerUnit
                    pieces[word] = (pieces[word]?.lowerBound ?? from)...to
                }
                for (word, piece) in pieces {
                    let heard = Self.sounding(piece, in: audio)
                    spans[word] = (spans[word]?.lowerBound ?? start + heard.lowerBound)...(start + heard.upperBound)
                }
            }
            timed += PiperNarrator.filled(utterance.words, spans: spans, within: offset...writer.seconds)
        }
        let duration = try writer.finish()
        return Narration(audio: destination, duration: duration, words: timed)
    }

    /// `span` (seconds into `audio`) without the silence at its ends.
    ///
    /// Kokoro gives the pause before a full stop to the sentence's last vowel (25 frames, 0.6 s, of which
    /// the first few sound), so a word's phonemes can end well after its voice does; the word's time is
    /// cut back to where its audio is last above -40 dBFS (and likewise at its start), in 10 ms steps,
    /// keeping at least 50 ms.
    static func sounding(_ span: ClosedRange<Double>, in audio: [Float]) -> ClosedRange<Double> {
        let step = sampleRate / 100
        let threshold: Float = 0.01
        func silent(_ window: Int) -> Bool {
            let range = max(0, window)..<min(audio.count, window + step)
            return range.isEmpty || !audio[range].contains { abs($0) >= threshold }
        }
        let minimum = sampleRate / 20
        var lower = Int(span.lowerBound * Double(sampleRate))
        var upper = Int(span.upperBound * Double(sampleRate))
        while upper - lower > minimum, silent(upper - step) { upper -= step }
        while upper - lower > minimum, silent(lower) { lower += step }
        return Double(lower) / Double(sampleRate)...Double(upper) / Double(sampleRate)
    }

    /// Runs the model on one input.
    ///
    /// - Returns: the audio (24 kHz, about -1...1) and the frames each input id lasts.
    /// - Throws: ``ModelError`` when the run fails; ``VoiceError`` when the outputs are not Kokoro's.
    func synthesize(_ ids: [Int64], style: [Float], session: OnnxSession) throws -> (audio: [Float], durations: [Int64]) {
        let outputs = try session.run([
            "tokens": .int64(ids, shape: [1, ids.count]),
            "style": .float(style, shape: [1, style.count]),
            "speed": .float([Float(speed)], shape: [1]),
        ], outputs: ["audio", "durations"])
        guard let audio = outputs["audio"]?.floats, let durations = outputs["durations"]?.int64s, durations.count == ids.count else {
            throw VoiceError(.engineFailed, "Kokoro model \(model.lastPathComponent) gave no audio or no duration per phoneme; is it kokoro-v1.0 with the bootstrap's durations output?")
        }
        return (audio, durations)
    }
}
