import Foundation
import Testing

@testable import AiShortsCore
@testable import HibariKernels

#if canImport(Glibc)
import Glibc
#endif

/// The vocoder against the Python package it ports (hibari-tts in `.deps/venv`), plus its edge cases,
/// its noise generator and its vector math.
@Suite("HibariVocoder")
struct HibariVocoderTests {
    // MARK: - Reference data from Python

    static let python = Fixtures.packageRoot.appendingPathComponent(".deps/venv/bin/python")

    /// Runs the model on three sentences and `hibari.dsp.synth` on its outputs (and on 1-, 2- and 3-frame
    /// slices, and on 80 frames with F0 = 0 everywhere), each with a seeded numpy generator; writes every array
    /// and the noise z that generator draws (the same values dsp.synth adds) as little-endian float32.
    static let script = """
        import sys
        import numpy as np
        from hibari import Hibari, dsp
        out = sys.argv[1]
        h = Hibari()
        text = "The quick brown fox jumps over the lazy dog. She sells sea shells by the sea shore! Is it seven thirty yet?"
        def save(name, parts, seed):
            lh, th, ln, lr, phi, f0 = parts
            z = np.random.default_rng(seed).standard_normal((lh.shape[0], 2 * lh.shape[1]), dtype=np.float32)
            wav = dsp.synth(lh, th, ln, lr, phi, f0, np.random.default_rng(seed))
            arrays = dict(lh=lh, theta=th, ln=ln, lr=lr, phi=phi, f0=f0, z=z, wav=wav)
            for key, a in arrays.items():
                np.ascontiguousarray(a).astype("<f4").tofile(f"{out}/{name}.{key}.f32")
            print(name)
        for i, ps in enumerate(h.phonemize(text)):
            feed = {"ids": np.asarray([h.ids(ps)], np.int64), "speed": np.asarray([1.0], np.float32)}
            parts = [o[0] for o in h.sess.run(None, feed)]
            save(f"sentence{i}", parts, 100 + i)
            if i == 0:
                k = int(np.argmax(parts[5] > 100))
                for n in (1, 2, 3):
                    save(f"frames{n}", [p[..., k:k + n] for p in parts], 10 + n)
                save("unvoiced", [p[..., :80] for p in parts[:5]] + [np.zeros(80, np.float32)], 20)
        """

    struct Case: Sendable {
        let name: String
        let spectra: HibariSpectra
        /// The noise as numpy drew it: `601 × 2F`.
        let noise: [Float]
        /// `dsp.synth`'s waveform.
        let expected: [Float]
    }

    /// A temp folder, removed when the value is dropped.
    final class TempFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aishorts-hibari-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func reference() async throws -> [Case] {
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "the hibari reference needs \(python.path): run `make bootstrap`"
        )
        let folder = try TempFolder()
        let result = try await ToolRunner(keptStderrLines: 40)
            .run(Tool(name: "python", path: python.path), arguments: ["-c", script, folder.url.path])
        try #require(
            result.isSuccess,
            "the hibari reference script failed (\(result.status); run `make bootstrap`?):\n\(result.stderrTail.joined(separator: "\n"))"
        )
        func read(_ name: String, _ key: String) throws -> [Float] {
            let data = try Data(contentsOf: folder.url.appendingPathComponent("\(name).\(key).f32"))
            return data.withUnsafeBytes { raw in
                (0..<data.count / 4).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
                }
            }
        }
        return try result.stdoutText.split(separator: "\n").map(String.init).map { name in
            let spectra = HibariSpectra(
                lh: try read(name, "lh"),
                theta: try read(name, "theta"),
                ln: try read(name, "ln"),
                lr: try read(name, "lr"),
                phi: try read(name, "phi"),
                f0: try read(name, "f0")
            )
            return Case(name: name, spectra: spectra, noise: try read(name, "z"), expected: try read(name, "wav"))
        }
    }

    /// Pearson correlation and largest absolute difference.
    static func compare(_ a: [Float], _ b: [Float]) -> (correlation: Double, maxError: Double) {
        precondition(a.count == b.count && !a.isEmpty)
        let n = Double(a.count)
        let meanA = a.reduce(0.0) { $0 + Double($1) } / n
        let meanB = b.reduce(0.0) { $0 + Double($1) } / n
        var (ab, aa, bb, worst) = (0.0, 0.0, 0.0, 0.0)
        for i in a.indices {
            let (x, y) = (Double(a[i]) - meanA, Double(b[i]) - meanB)
            ab += x * y
            aa += x * x
            bb += y * y
            worst = max(worst, abs(Double(a[i]) - Double(b[i])))
        }
        let correlation = aa == 0 && bb == 0 ? 1 : ab / (aa * bb).squareRoot()
        return (correlation, worst)
    }

    // MARK: - Against the reference

    /// With the noise numpy drew, the waveform is the reference's up to float32 rounding (FFTs in float
    /// instead of numpy's double, vector exp/tanh/sin/cos): correlation ≥ 0.9999 and max |error| ≤ 1e-3
    /// (measured: correlation 1 − <1e-9, max error ~1e-6).
    @Test("matches hibari.dsp.synth with the same noise (sentences, 1-3 frames, unvoiced)")
    func matchesReferenceWithSameNoise() async throws {
        let cases = try await Self.reference()
        #expect(cases.count == 7, "expected 3 sentences and 4 edge cases, got \(cases.map(\.name))")
        for item in cases {
            var noise = HibariRecordedNoise(values: item.noise, frames: item.spectra.frames)
            let audio = HibariVocoder().synthesize(item.spectra, noise: &noise)
            #expect(audio.count == item.spectra.frames * HibariVocoder.hop)
            #expect(audio.count == item.expected.count, "\(item.name)")
            guard audio.count == item.expected.count else { continue }
            let (correlation, maxError) = Self.compare(audio, item.expected)
            #expect(correlation >= 0.9999, "\(item.name): correlation \(correlation)")
            #expect(maxError <= 1e-3, "\(item.name): max error \(maxError)")
            print(
                "hibari vocoder \(item.name) F=\(item.spectra.frames): correlation \(correlation), max error \(maxError)"
            )
        }
    }

    /// With this package's own generator instead of numpy's, only the quiet noise branch differs:
    /// correlation ≥ 0.99 (measured ≈ 0.9999, as between two numpy seeds).
    @Test("default noise stays close to the reference made with other noise")
    func defaultNoiseCorrelates() async throws {
        let cases = try await Self.reference().filter { $0.name.hasPrefix("sentence") }
        #expect(!cases.isEmpty)
        for item in cases {
            let audio = HibariVocoder().synthesize(item.spectra, seed: 7)
            let (correlation, _) = Self.compare(audio, item.expected)
            #expect(correlation >= 0.99, "\(item.name): correlation \(correlation)")
            print("hibari vocoder \(item.name), own noise: correlation \(correlation)")
        }
    }
}

// MARK: - Edge cases and determinism

extension HibariVocoderTests {
    /// Smooth made-up spectra for `frames` frames: a voiced F0 around 120-220 Hz, plausible log magnitudes.
    static func synthetic(frames: Int, f0: Float? = nil, quiet: Bool = false) -> HibariSpectra {
        let count = HibariVocoder.bins * frames
        func wave(_ scale: Float, _ offset: Float, _ speed: Float) -> [Float] {
            (0..<count).map { offset + scale * sin(Float($0) * speed) }
        }
        return HibariSpectra(
            lh: wave(3, -4, 0.013),
            theta: wave(2, 0, 0.007),
            ln: quiet ? [Float](repeating: -200, count: count) : wave(4, -9, 0.019),
            lr: quiet ? [Float](repeating: -200, count: count) : wave(3, -7, 0.011),
            phi: wave(3, 0, 0.023),
            f0: (0..<frames).map { f0 ?? (170 + 50 * sin(Float($0) * 0.1)) }
        )
    }

    @Test("1, 2 and 33 frames give F x 300 finite samples; 0 frames give none", arguments: [0, 1, 2, 33])
    func lengths(frames: Int) {
        let audio = HibariVocoder().synthesize(Self.synthetic(frames: frames), seed: 1)
        #expect(audio.count == frames * HibariVocoder.hop)
        #expect(audio.allSatisfy { $0.isFinite })
        if frames > 0 { #expect(audio.contains { $0 != 0 }) }
    }

    @Test("all-unvoiced F0 with silent noise and free-phase branches is exact silence")
    func unvoicedIsSilent() {
        for f0: Float in [0, 39.9, -5] {
            let audio = HibariVocoder().synthesize(Self.synthetic(frames: 40, f0: f0, quiet: true), seed: 3)
            #expect(audio.count == 40 * HibariVocoder.hop)
            #expect(audio.allSatisfy { $0 == 0 }, "f0 \(f0)")
        }
        // Voiced, the same spectra are not silent.
        let voiced = HibariVocoder().synthesize(Self.synthetic(frames: 40, quiet: true), seed: 3)
        #expect(voiced.contains { abs($0) > 1e-4 })
    }

    @Test("a fixed seed gives the same audio; another seed changes only the noise")
    func determinism() {
        let spectra = Self.synthetic(frames: 70)
        let vocoder = HibariVocoder()
        let first = vocoder.synthesize(spectra, seed: 42)
        #expect(first == vocoder.synthesize(spectra, seed: 42))
        var noise = HibariGaussianNoise(seed: 42)
        #expect(first == vocoder.synthesize(spectra, noise: &noise))
        let other = vocoder.synthesize(spectra, seed: 43)
        #expect(first != other)
        #expect(Self.compare(first, other).correlation > 0.9)
    }

    @Test("recorded noise is served bin by bin in numpy's layout")
    func recordedNoiseLayout() {
        let frames = 3
        let values = (0..<(HibariVocoder.bins * 2 * frames)).map(Float.init)
        var noise = HibariRecordedNoise(values: values, frames: frames)
        var buffer = [Float](repeating: -1, count: 4)
        buffer.withUnsafeMutableBufferPointer { noise.fill($0, bin: 2, frames: 1..<3) }
        #expect(buffer == [14, 15, 16, 17])
    }
}

// MARK: - Noise generator and vector math

extension HibariVocoderTests {
    @Test("the Gaussian generator has the moments and tails of a standard normal")
    func gaussianMoments() {
        var noise = HibariGaussianNoise(seed: 2024)
        let count = 400_000
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { noise.fill($0, bin: 0, frames: 0..<(count / 2)) }
        let n = Double(count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        let kurtosis = values.reduce(0.0) { $0 + pow(Double($1) - mean, 4) } / (n * variance * variance)
        let beyondTwo = Double(values.count { abs($0) > 2 }) / n  // 0.0455
        let beyondR = Double(values.count { abs($0) > 3.6541529 }) / n  // 2.58e-4: the ziggurat's tail
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
        #expect(abs(kurtosis - 3) < 0.05)
        #expect(abs(beyondTwo - 0.0455) < 0.002)
        #expect(beyondR > 1.5e-4 && beyondR < 3.8e-4)
        #expect(values.allSatisfy { $0.isFinite })
    }

    /// The vector routines against Glibc over the vocoder's argument ranges.
    @Test("vector exp, tanh and sin/cos agree with Glibc")
    func vectorMath() {
        var rng = HibariGaussianNoise(seed: 9)
        func uniform(_ low: Float, _ high: Float) -> HibariMath.Vector {
            var v = HibariMath.Vector()
            for lane in 0..<8 { v[lane] = low + (high - low) * Float(rng.nextBits() >> 40) * 0x1p-24 }
            return v
        }
        var (expError, tanhError, sinError) = (0.0, 0.0, 0.0)
        for _ in 0..<20_000 {
            let x = uniform(-87, 7)
            let e = HibariMath.exp(x)
            let t = uniform(-12, 12)
            let th = HibariMath.tanh(t)
            let a = uniform(-1800, 1800)
            let sc = HibariMath.sincos(a)
            for lane in 0..<8 {
                let exact = exp(Double(x[lane]))
                expError = max(expError, abs(Double(e[lane]) - exact) / exact)
                tanhError = max(tanhError, abs(Double(th[lane]) - Foundation.tanh(Double(t[lane]))))
                sinError = max(sinError, abs(Double(sc.sin[lane]) - sin(Double(a[lane]))))
                sinError = max(sinError, abs(Double(sc.cos[lane]) - cos(Double(a[lane]))))
            }
        }
        #expect(expError < 3e-7, "exp relative error \(expError)")
        #expect(tanhError < 2e-7, "tanh absolute error \(tanhError)")
        #expect(sinError < 2e-7, "sin/cos absolute error \(sinError)")
        #expect(HibariMath.exp(HibariMath.Vector(repeating: -100)) == .zero)
        #expect(HibariMath.tanh(HibariMath.Vector(repeating: -30)) == HibariMath.Vector(repeating: -1))
    }
}
