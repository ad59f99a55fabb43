import AiShortsTestSupport
import Foundation
import Testing

@testable import AiShortsCore

/// The CLIP engine on the tiny export `scripts/make-tiny-clip.py` writes: real input/output names and
/// token ids, an image embedding that is the picture's mean colour, "red", "green" and "blue" words
/// that point like those colours.
@Suite("ClipScorer", .enabled(if: (try? Tool.ffmpeg.resolved()) != nil))
struct ClipScorerTests {
    static let colourTexts = ["a red picture", "a green picture", "a blue picture"]

    func scorer(_ model: ClipModel, models: ModelManager = ModelManager(), cache: EmbeddingCache = EmbeddingCache(disk: nil),
                batchSize: Int = 16, ffmpeg: Tool = .ffmpeg) -> ClipScorer {
        ClipScorer(model: model, models: models, cache: cache, batchSize: batchSize, threshold: 0.5, threads: 1, ffmpeg: ffmpeg)
    }

    func colourImages(_ fixtures: Fixtures) async throws -> [URL] {
        var images: [URL] = []
        for colour in ["red", "green", "blue"] {
            let url = fixtures.url("\(colour).png")
            try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=\(colour):s=320x240", "-frames:v", "1", url.path])
            images.append(url)
        }
        return images
    }

    /// Red, then green, then blue, one second each.
    func colourVideo(_ fixtures: Fixtures) async throws -> URL {
        let url = fixtures.url("colours.mp4")
        try await fixtures.ffmpeg([
            "-f", "lavfi", "-i", "color=red:s=320x240:r=25:d=1", "-f", "lavfi", "-i", "color=green:s=320x240:r=25:d=1",
            "-f", "lavfi", "-i", "color=blue:s=320x240:r=25:d=1", "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", url.path,
        ])
        return url
    }

    @Test("red, green and blue pictures rank first for the text naming their colour")
    func ranksColours() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let images = try await colourImages(fixtures)
        let clip = scorer(model)
        #expect(clip.name == "clip (\(model.folder.lastPathComponent))")
        let scores = try await clip.scores(texts: Self.colourTexts, candidates: images.map { RelevanceCandidate(pictures: [.image($0)], text: "") })
        for (row, text) in Self.colourTexts.enumerated() {
            let best = scores[row].indices.max { scores[row][$0] < scores[row][$1] }
            #expect(best == row, "\(text): \(scores[row])")
            #expect(scores[row][row] > 0.9 && scores[row].enumerated().allSatisfy { $0.offset == row || $0.element < 0.5 })
        }
    }

    @Test("frames of a video whose colour changes score by their time; a candidate takes its best frame")
    func framesScoreByTime() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let video = try await colourVideo(fixtures)
        let frames = [0.5, 1.5, 2.5].map { RelevancePicture.frame(video, at: $0) }
        let candidates = frames.map { RelevanceCandidate(pictures: [$0], text: "") } + [RelevanceCandidate(pictures: frames, text: "")]
        let scores = try await scorer(model).scores(texts: Self.colourTexts, candidates: candidates)
        for row in 0..<3 {
            #expect(scores[row][row] > 0.9, "\(Self.colourTexts[row]) at \(row).5 s: \(scores[row])")
            #expect(scores[row][(row + 1) % 3] < 0.5)
            #expect(abs(scores[row][3] - scores[row][row]) < 1e-6, "the whole video scores as its best frame")
        }
    }

    @Test("40 pictures scored in batches equal the same pictures scored one by one")
    func batchesEqualSingles() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let video = fixtures.url("hues.mp4")
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=red:s=96x64:r=10:d=4,hue=H=2*PI*t/4", "-c:v", "libx264",
                                   "-preset", "ultrafast", "-pix_fmt", "yuv420p", video.path])
        let pictures = (0..<36).map { RelevancePicture.frame(video, at: 0.05 + Double($0) * 0.1) } + (try await colourImages(fixtures)).map { .image($0) }
            + [.image(try fixtures.garbage("broken.png"))]
        #expect(pictures.count == 40)
        let batched = try await scorer(model, batchSize: 16).pictureEmbeddings(pictures)
        let single = scorer(model, batchSize: 1)
        for (picture, vector) in zip(pictures, batched) {
            let alone = try await single.pictureEmbeddings([picture])[0]
            #expect((alone == nil) == (vector == nil), "\(picture)")
            if let alone, let vector { #expect(zip(alone, vector).allSatisfy { abs($0 - $1) < 1e-5 }, "\(picture): \(alone) vs \(vector)") }
        }
        #expect(batched.compactMap { $0 }.count == 39, "only the broken file has no embedding")
        let hues = Set(batched.prefix(36).compactMap { $0?.prefix(3).map { ($0 * 10).rounded() } })
        #expect(hues.count > 5, "the frames differ in colour: \(hues)")
    }

    @Test("pixels are the picture's colour normalised with the config's mean and std; the middle is cropped")
    func preprocessingNumbers() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared(["--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--layout", "top"])
        #expect(model.imageMean == [0.5, 0.5, 0.5] && model.imageStd == [0.25, 0.25, 0.25] && model.imageSize == 224)
        let plain = fixtures.url("plain.png")
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=0x336699:s=320x240", "-frames:v", "1", "-pix_fmt", "rgb24", plain.path])
        // Red, green, blue thirds side by side: scaling the short side to 224 and cropping the middle keeps green.
        let thirds = fixtures.url("thirds.png")
        try await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=red:s=200x200", "-f", "lavfi", "-i", "color=0x00ff00:s=200x200",
                                   "-f", "lavfi", "-i", "color=blue:s=200x200", "-filter_complex", "[0][1][2]hstack=3",
                                   "-frames:v", "1", "-pix_fmt", "rgb24", thirds.path])
        let decoder = ClipPictureDecoder(size: model.imageSize, mean: model.imageMean, std: model.imageStd, ffmpeg: .ffmpeg)
        let pixels = try await decoder.decode([.image(plain), .image(thirds)])
        let plane = 224 * 224
        let plainPixels = try #require(pixels[0])
        #expect(plainPixels.count == 3 * plane)
        for (channel, byte) in [0x33, 0x66, 0x99].enumerated() {
            let expected = (Float(byte) / 255 - 0.5) / 0.25
            let values = plainPixels[(channel * plane)..<((channel + 1) * plane)]
            #expect(values.allSatisfy { abs($0 - expected) <= 2 / 255 / 0.25 }, "channel \(channel): \(values.first ?? .nan) vs \(expected)")
        }
        let thirdsPixels = try #require(pixels[1])
        // Columns 8 and 215 (the crop's edges are the thirds' borders, blended by the scaler).
        for pixel in [8, 215, 223 * 224 + 8, 223 * 224 + 215] {
            #expect(thirdsPixels[pixel] < -1.9 && thirdsPixels[plane + pixel] > 1.9 && thirdsPixels[2 * plane + pixel] < -1.9,
                    "pixel \(pixel) is green: \(thirdsPixels[pixel]), \(thirdsPixels[plane + pixel]), \(thirdsPixels[2 * plane + pixel])")
        }

        // The model sees the same numbers: its pixel_mean output is each channel's mean.
        let session = try OnnxSession(path: model.visionFile)
        let output = try session.run(["pixel_values": .float(plainPixels, shape: [1, 3, 224, 224])], outputs: ["pixel_mean"])
        let means = try #require(output["pixel_mean"]?.floats)
        for channel in 0..<3 {
            let decoded = plainPixels[(channel * plane)..<((channel + 1) * plane)].reduce(0.0) { $0 + Double($1) } / Double(plane)
            #expect(abs(Double(means[channel]) - decoded) < 1e-4, "channel \(channel): \(means[channel]) vs \(decoded)")
        }
        let scores = try await scorer(model).scores(texts: ["green"], candidates: [RelevanceCandidate(pictures: [.image(thirds)], text: "")])
        #expect(scores[0][0] > 0.9)
    }

    @Test("texts are embedded the same with or without an attention mask input, with either padding; the mask is right")
    func textModelVariants() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let masked = try await TinyClip.shared()
        let unmasked = try await TinyClip.shared(["--no-attention-mask", "--padding", "eot", "--merges", "pairs"])
        let texts = ["a red picture", "green and blue", String(repeating: "blue sky ", count: 60), ""]
        let first = try await scorer(masked).textEmbeddings(texts)
        let second = try await scorer(unmasked).textEmbeddings(texts)
        for (a, b) in zip(first, second) {
            #expect(a.count == 5 && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }, "\(a) vs \(b)")
            // The tiny model adds 0.01 per wrong mask entry to dimension 4.
            #expect(abs(a[4]) < 1e-6, "the attention mask marks exactly the real tokens")
        }
        let session = try OnnxSession(path: masked.textFile)
        #expect(session.inputNames == ["input_ids", "attention_mask"])
    }

    @Test("concurrent first users load each tower once; both are released when idle")
    func lifecycle() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let images = try await colourImages(fixtures)
        let clock = ManualClock()
        let models = ModelManager(configuration: .init(idleRelease: .milliseconds(300), clock: ErasedClock(clock)))
        let candidates = images.map { RelevanceCandidate(pictures: [.image($0)], text: "") }
        let results = try await withThrowingTaskGroup(of: [[Double]].self) { group in
            for _ in 0..<4 {
                group.addTask { try await self.scorer(model, models: models).scores(texts: Self.colourTexts, candidates: candidates) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4 && results.allSatisfy { $0 == results[0] })
        let usage = await models.usageReport()
        #expect(usage.count == 2 && usage.allSatisfy { $0.loads == 1 }, "\(usage)")
        try await clock.waitForSleepers(2)
        #expect(await models.loadedModels.count == 2, "kept while the idle time runs")
        clock.advance(by: .milliseconds(300))
        try await waitUntil("both towers released after 0.3 s idle") { await models.loadedModels.isEmpty }
        #expect(await models.usageReport().allSatisfy { $0.releases == 1 })
    }

    @Test("a second scoring comes from the embedding cache: no ffmpeg, no model load, no file hashed again")
    func secondScoringHitsTheCache() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let images = try await colourImages(fixtures)
        let video = try await colourVideo(fixtures)
        let candidates = images.map { RelevanceCandidate(pictures: [.image($0)], text: "") }
            + [RelevanceCandidate(pictures: [.frame(video, at: 0.5), .frame(video, at: 2.5)], text: "")]
        let disk = DiskCache(root: fixtures.url("cache"))
        let digests = FileDigests()
        let firstStats = CacheStats()
        let first = try await scorer(model, cache: EmbeddingCache(disk: disk, digests: digests, stats: firstStats))
            .scores(texts: Self.colourTexts, candidates: candidates)
        let hashed = await digests.hashedFiles
        #expect(hashed == 4)
        #expect(await firstStats.snapshot()["image embeddings"] == CacheCount(hits: 0, misses: 5))
        #expect(await firstStats.snapshot()["text embeddings"] == CacheCount(hits: 0, misses: 3))

        let models = ModelManager()
        let secondStats = CacheStats()
        let noFFmpeg = Tool(name: "ffmpeg", path: "/nonexistent/ffmpeg")
        let second = try await scorer(model, models: models, cache: EmbeddingCache(disk: disk, digests: digests, stats: secondStats), ffmpeg: noFFmpeg)
            .scores(texts: Self.colourTexts, candidates: candidates)
        #expect(second == first)
        #expect(await models.usageReport().isEmpty, "no model was loaded")
        #expect(await digests.hashedFiles == hashed, "each file is hashed once per process")
        #expect(await secondStats.snapshot()["image embeddings"] == CacheCount(hits: 5, misses: 0))
        #expect(await secondStats.snapshot()["text embeddings"] == CacheCount(hits: 3, misses: 0))
    }

    @Test("a corrupt or missing picture gets no score and does not fail the batch")
    func corruptPictureIsSkipped() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let model = try await TinyClip.shared()
        let images = try await colourImages(fixtures)
        let broken = try fixtures.garbage("broken.jpg")
        let candidates = [
            RelevanceCandidate(pictures: [.image(broken)], text: ""),
            RelevanceCandidate(pictures: [.image(images[0])], text: ""),
            RelevanceCandidate(pictures: [.image(fixtures.url("missing.png"))], text: ""),
            RelevanceCandidate(pictures: [.image(broken), .image(images[2])], text: ""),
            RelevanceCandidate(pictures: [], text: ""),
        ]
        let scores = try await scorer(model).scores(texts: ["red", "blue"], candidates: candidates)
        #expect(scores[0][0] == -1 && scores[0][2] == -1 && scores[0][4] == -1)
        #expect(scores[0][1] > 0.9 && scores[1][3] > 0.9)
    }

    @Test("a model folder missing a file, or with the wrong graphs, fails with one clear line")
    func badFolders() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await TinyClip.make(fixtures.url("tiny"), ["--layout", "top"])
        let vision = folder.appendingPathComponent("vision_model.onnx")
        let text = folder.appendingPathComponent("text_model.onnx")
        try ClipModel(folder: folder).validate()

        try FileManager.default.moveItem(at: vision, to: fixtures.url("vision.onnx"))
        #expect {
            _ = try ClipModel(folder: folder)
        } throws: { error in
            let error = error as? RelevanceError
            return error?.code == .badModelFolder && error?.description.contains("no vision_model.onnx") == true
                && error?.description.contains("\n") == false
        }
        // The text graph where the vision graph should be: loads in ONNX Runtime, wrong names.
        try FileManager.default.copyItem(at: text, to: vision)
        #expect {
            try ClipModel(folder: folder).validate()
        } throws: { error in
            let error = error as? RelevanceError
            return error?.code == .badModel && error?.description.contains("pixel_values") == true && error?.description.contains("\n") == false
        }
        #expect(throws: RelevanceError.self) { _ = try ClipModel(folder: fixtures.url("nowhere")) }
    }
}
