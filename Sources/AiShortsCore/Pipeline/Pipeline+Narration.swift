import Foundation

/// A whole job's narration: one audio file on the video's clock, every word's time, and scene lengths.
struct JobNarration: Sendable {
    var audio: URL
    var words: [TimedWord]
    var sceneDurations: [Double]
    var wordsPerScene: [Int]
    /// Who spoke: the narrator's label, or the voiceover file.
    var voice: String
}

extension Pipeline {
    /// Narrates every scene (a few at once, each cached by voice and text) and joins them, or splits a
    /// recorded voiceover between the scenes by their word counts.
    func narrate(
        _ spec: JobSpec,
        scratch: URL,
        probe: MediaProbe,
        stats: CacheStats,
        events: @escaping @Sendable (PipelineEvent) async -> Void
    ) async throws -> JobNarration {
        if let voiceover = spec.voiceover {
            return try await splitVoiceover(voiceover, scenes: spec.scenes, probe: probe)
        }
        let narrator = try voices.narrator(for: try spec.narrationVoice(in: voices))
        let cache = self.cache
        let limit = max(narrationConcurrency, 1)
        let texts = spec.scenes.map(\.text)
        let parts = try await withThrowingTaskGroup(of: (Int, Narration).self) { group in
            var results = [Narration?](repeating: nil, count: texts.count)
            var next = 0
            var done = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    (index, try await Self.cachedNarration(texts[index], narrator: narrator, cache: cache, stats: stats, scratch: scratch))
                }
            }
            for _ in 0..<min(limit, texts.count) { add() }
            while let (index, narration) = try await group.next() {
                results[index] = narration
                done += 1
                await events(.progress(.narration, fraction: Double(done) / Double(texts.count), remaining: nil))
                if next < texts.count { add() }
            }
            return results.compactMap { $0 }
        }
        var joined = try join(parts, into: scratch.appendingPathComponent("narration.wav"))
        joined.voice = narrator.label
        return joined
    }

    /// Narrates one scene's text into the cache ahead of a job, so the job later finds it there.
    ///
    /// Used while a script is still streaming in from the writer: scene 1 is spoken while the model
    /// writes scene 4. Returns whether it was already cached.
    @discardableResult
    public func warmNarration(_ text: String, voice: VoiceChoice) async throws -> Bool {
        let narrator = try voices.narrator(for: voice)
        let stats = CacheStats()
        let scratch = try cache.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try await Self.cachedNarration(text, narrator: narrator, cache: cache, stats: stats, scratch: scratch)
        return await stats.snapshot()["narration"]?.hits == 1
    }

    static func cachedNarration(_ text: String, narrator: any Narrator, cache: DiskCache, stats: CacheStats, scratch: URL) async throws -> Narration {
        let key = DiskCache.key(["narration-v1", narrator.cacheKey, text])
        let audio = cache.url(namespace: "narration", key: key, extension: "wav")
        if let data = cache.data(namespace: "narration", key: key, extension: "json"),
            let words = try? JSONDecoder().decode([TimedWord].self, from: data),
            let wav = try? WAVAudio(contentsOf: audio)
        {
            await stats.record("narration", hit: true)
            return Narration(audio: audio, duration: wav.duration, words: words)
        }
        await stats.record("narration", hit: false)
        let made = try await narrator.narrate(text, to: scratch.appendingPathComponent("scene-\(key.prefix(12)).wav"))
        // The audio goes in first, the timings last: a timings entry always has its audio.
        let stored = try cache.adopt(made.audio, namespace: "narration", key: key, extension: "wav")
        try cache.store(try JSONEncoder().encode(made.words), namespace: "narration", key: key, extension: "json")
        return Narration(audio: stored, duration: made.duration, words: made.words)
    }

    private func join(_ parts: [Narration], into destination: URL) throws -> JobNarration {
        var joined: WAVAudio?
        var words: [TimedWord] = []
        var durations: [Double] = []
        for part in parts {
            let audio = try WAVAudio(contentsOf: part.audio)
            if joined == nil { joined = WAVAudio(sampleRate: audio.sampleRate) }
            guard var current = joined, current.sampleRate == audio.sampleRate else {
                throw VoiceError(.engineFailed, "scene narrations have different sample rates")
            }
            let offset = current.duration
            current.samples.append(contentsOf: audio.samples)
            joined = current
            words += part.words.map { $0.shifted(by: offset) }
            durations.append(audio.duration)
        }
        guard let joined else { throw VoiceError(.emptyText, "there is nothing to narrate; add scenes with text") }
        try joined.data.write(to: destination, options: .atomic)
        return JobNarration(audio: destination, words: words, sceneDurations: durations, wordsPerScene: parts.map(\.words.count), voice: "")
    }

    /// Assigns a voiceover's words to scenes in order, by each scene's word count, so scene k starts at
    /// its first word. If the counts differ from the script, the words are shared in proportion.
    private func splitVoiceover(_ voiceover: Voiceover, scenes: [Scene], probe: MediaProbe) async throws -> JobNarration {
        let words = try WordTimings.load(from: voiceover.words)
        guard case .readable(let info) = try await probe.probe(voiceover.audio), info.audioCodec != nil,
            let audioLength = info.duration
        else {
            throw VoiceError(.badVoiceover, "cannot read the voiceover audio \(voiceover.audio.path); give a WAV, MP3 or M4A file")
        }
        let expected = scenes.map { max(Narration.words(in: $0.text).count, 1) }
        let total = expected.reduce(0, +)
        var counts = expected.map { Int((Double($0) * Double(words.count) / Double(total)).rounded(.down)) }
        counts[counts.count - 1] += words.count - counts.reduce(0, +)
        var starts: [Double] = []
        var cursor = 0
        for count in counts {
            starts.append(cursor < words.count ? (starts.isEmpty ? 0 : words[cursor].start) : (words.last?.end ?? 0))
            cursor += count
        }
        let end = max(audioLength, (words.last?.end ?? 0) + 0.3)
        let durations = starts.indices.map { index in
            max((index + 1 < starts.count ? starts[index + 1] : end) - starts[index], 0.5)
        }
        return JobNarration(audio: voiceover.audio, words: words, sceneDurations: durations, wordsPerScene: counts,
                            voice: "voiceover \(voiceover.audio.lastPathComponent)")
    }
}
