import CKissFFT

#if canImport(Glibc)
import Glibc
#endif

/// The hibari voice's signal back end: turns the model's spectra for one chunk into a 24 kHz waveform.
///
/// A Swift port of `hibari.dsp.synth` (hibari-tts 0.2.1). Per 12.5 ms frame the spectrum is
///
///     S = exp(lh) · e^{iπ·tanh(theta)} · STFT(pulses(f0)) + exp(ln) · Z + exp(lr) · e^{i·phi}
///
/// (each exp clamped at e^7), and the waveform is its inverse STFT: n_fft 1200, hop 300, periodic Hann,
/// overlap-add normalised by the summed squared window (`torch.istft(center=True, length: F·hop)`).
/// Z is complex Gaussian noise from a ``HibariNoiseSource``.
///
/// The vocoder holds no state: it is `Sendable`, and each call allocates its own buffers and FFT plans
/// (O(F) memory once per call, nothing per frame), so concurrent calls are safe.
///
/// ```swift
/// var noise = HibariGaussianNoise(seed: 42)
/// let samples = HibariVocoder().synthesize(spectra, noise: &noise)   // spectra.frames * 300 floats
/// ```
public struct HibariVocoder: Sendable {
    /// Samples per second of the output.
    public static let sampleRate = 24_000
    /// Samples per frame (12.5 ms).
    public static let hop = 300
    /// FFT length (50 ms).
    public static let nFFT = 1200
    /// Frequency bins per frame, `nFFT / 2 + 1`.
    public static let bins = 601
    /// Log magnitudes are clamped here before `exp`, as in the reference.
    static let maxLogMagnitude: Float = 7

    /// Creates a vocoder.
    public init() {}

    /// Synthesizes one chunk: `spectra.frames · 300` samples at 24 kHz, roughly in [−1, 1].
    ///
    /// - Parameters:
    ///   - spectra: the model's outputs for the chunk; zero frames give an empty array.
    ///   - noise: the noise branch's values; a ``HibariGaussianNoise`` with a fixed seed gives the same audio
    ///     every time.
    public func synthesize(_ spectra: HibariSpectra, noise: inout some HibariNoiseSource) -> [Float] {
        let frames = spectra.frames
        guard frames > 0 else { return [] }
        let workspace = Workspace(frames: frames)
        var output = [Float](repeating: 0, count: frames * Self.hop)
        output.withUnsafeMutableBufferPointer { output in
            spectra.withPointers { inputs in
                Self.render(inputs, frames: frames, into: output.baseAddress.unsafelyUnwrapped, workspace, &noise)
            }
        }
        return output
    }

    /// Synthesizes one chunk with ``HibariGaussianNoise`` seeded with `seed`.
    public func synthesize(_ spectra: HibariSpectra, seed: UInt64) -> [Float] {
        var noise = HibariGaussianNoise(seed: seed)
        return synthesize(spectra, noise: &noise)
    }
}

// MARK: - Rendering

extension HibariVocoder {
    /// The periodic Hann window, as the reference computes it (in `Double`, then rounded).
    static let window: [Float] = (0..<nFFT).map { n in
        Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(nFFT)))
    }
    /// The analysis window: Hann / (n_fft/4), so that exp(lh) is the magnitude of each harmonic.
    static let analysisWindow: [Float] = window.map { $0 / Float(nFFT / 4) }
    /// The synthesis window with the inverse FFT's 1/n folded in (KISS FFT does not normalise).
    static let synthesisWindow: [Float] = window.map { $0 * (1 / Float(nFFT)) }
    /// 1 / the summed squared window, for output samples covered by four frames.
    static let interiorNorm: [Float] = (0..<hop).map { j in
        1 / max(overlapSum(j, quarters: 0..<(nFFT / hop)), 1e-11)
    }

    /// Σ over the given window quarters k of window²[k·hop + j], in increasing k as the reference adds them.
    static func overlapSum(_ j: Int, quarters: Range<Int>) -> Float {
        var sum: Float = 0
        for k in quarters {
            let w = window[k * hop + j]
            sum += w * w
        }
        return sum
    }

    /// The whole chunk: pulse train, then block by block the per-bin factors and frame by frame the
    /// spectrum, inverse FFT and overlap-add, then the window-sum normalisation.
    static func render(
        _ inputs: HibariSpectra.Pointers,
        frames: Int,
        into output: UnsafeMutablePointer<Float>,
        _ space: Workspace,
        _ noise: inout some HibariNoiseSource
    ) {
        let half = nFFT / 2
        let length = frames * hop
        pulses(f0: inputs.f0, frames: frames, signal: space.padded + half, rate: space.rate)
        reflectPad(space.padded, count: length, half: half)
        for block in 0..<(frames + 4) {
            let start = space.padded + block * hop
            space.blockHasSignal[block] = (0..<hop).contains { start[$0] != 0 }
        }
        for frame in 0..<frames {
            space.frameHasSignal[frame] = (frame..<frame + nFFT / hop).contains { space.blockHasSignal[$0] }
        }
        analysisWindow.withUnsafeBufferPointer { analysis in
            synthesisWindow.withUnsafeBufferPointer { synthesis in
                for first in stride(from: 0, to: frames, by: space.block) {
                    let count = min(space.block, frames - first)
                    prepareBlock(inputs, frames: frames, range: first..<first + count, space, &noise)
                    for j in 0..<count {
                        let frame = first + j
                        spectrum(frame: frame, column: j, analysis: analysis.baseAddress.unsafelyUnwrapped, space)
                        kiss_fftri(space.inverse, space.spectrum, space.time)
                        overlapAdd(
                            frame: frame,
                            length: length,
                            synthesis: synthesis.baseAddress.unsafelyUnwrapped,
                            space,
                            output
                        )
                    }
                }
            }
        }
        normalise(output, frames: frames, space)
    }

    /// Fills the block's per-bin factors A = exp(lh)·e^{iπ tanh θ} (only for groups of frames that have
    /// pulses: A multiplies the pulse spectrum, which is 0 elsewhere) and N = exp(ln)·Z + exp(lr)·e^{iφ}.
    static func prepareBlock(
        _ inputs: HibariSpectra.Pointers,
        frames: Int,
        range: Range<Int>,
        _ space: Workspace,
        _ noise: inout some HibariNoiseSource
    ) {
        typealias Vector = HibariMath.Vector
        let width = HibariMath.lanes
        let count = range.count
        let groups = (count + width - 1) / width
        for group in 0..<groups {
            let first = range.lowerBound + group * width
            space.groupHasSignal[group] = (first..<min(first + width, range.upperBound)).contains {
                space.frameHasSignal[$0]
            }
        }
        for bin in 0..<bins {
            noise.fill(UnsafeMutableBufferPointer(start: space.noise, count: 2 * count), bin: bin, frames: range)
            let row = bin * frames + range.lowerBound
            let column = bin * space.block
            for group in 0..<groups {
                let j = group * width
                let lanes = count - j
                let (input, at) = (row + j, column + j)
                if space.groupHasSignal[group] {
                    let lh = HibariMath.load(inputs.lh + input, count: lanes)
                    let theta = HibariMath.load(inputs.theta + input, count: lanes)
                    let magnitude = HibariMath.exp(HibariMath.minimum(lh, maxLogMagnitude))
                    let rotation = HibariMath.sincos(HibariMath.tanh(theta) * Float.pi)
                    HibariMath.store(rotation.cos * magnitude, space.filterReal + at, count: width)
                    HibariMath.store(rotation.sin * magnitude, space.filterImaginary + at, count: width)
                }
                let ln = HibariMath.load(inputs.ln + input, count: lanes)
                let lr = HibariMath.load(inputs.lr + input, count: lanes)
                let phi = HibariMath.load(inputs.phi + input, count: lanes)
                let z0 = HibariMath.load(space.noise + 2 * j, count: 2 * lanes)
                let z1 = HibariMath.load(space.noise + 2 * j + width, count: 2 * lanes - width)
                let zReal = Vector(lowHalf: z0.evenHalf, highHalf: z1.evenHalf)
                let zImaginary = Vector(lowHalf: z0.oddHalf, highHalf: z1.oddHalf)
                let noiseMagnitude = HibariMath.exp(HibariMath.minimum(ln, maxLogMagnitude))
                let freeMagnitude = HibariMath.exp(HibariMath.minimum(lr, maxLogMagnitude))
                let free = HibariMath.sincos(phi)
                HibariMath.store(zReal * noiseMagnitude + free.cos * freeMagnitude, space.addReal + at, count: width)
                HibariMath.store(
                    zImaginary * noiseMagnitude + free.sin * freeMagnitude,
                    space.addImaginary + at,
                    count: width
                )
            }
        }
    }

    /// Writes frame `frame`'s final spectrum to `space.spectrum`; `column` is its place in the block.
    @inline(__always)
    static func spectrum(frame: Int, column: Int, analysis: UnsafePointer<Float>, _ space: Workspace) {
        let out = space.spectrum
        guard space.frameHasSignal[frame] else {
            // The window holds only zeros, so the pulse spectrum is exactly 0: S = N.
            for bin in 0..<bins {
                let k = bin * space.block + column
                out[bin] = kiss_fft_cpx(r: space.addReal[k], i: space.addImaginary[k])
            }
            return
        }
        let source = space.padded + frame * hop
        for n in 0..<nFFT { space.time[n] = source[n] * analysis[n] }
        kiss_fftr(space.forward, space.time, space.pulseSpectrum)
        let pulse = space.pulseSpectrum
        for bin in 0..<bins {
            let k = bin * space.block + column
            let (pr, pi) = (pulse[bin].r, pulse[bin].i)
            let (ar, ai) = (space.filterReal[k], space.filterImaginary[k])
            out[bin] = kiss_fft_cpx(
                r: (pr * ar - pi * ai) + space.addReal[k],
                i: (pr * ai + pi * ar) + space.addImaginary[k]
            )
        }
    }

    /// Adds the windowed inverse FFT of frame `frame` (in `space.time`) into the output, clipped to its ends.
    @inline(__always)
    static func overlapAdd(
        frame: Int,
        length: Int,
        synthesis: UnsafePointer<Float>,
        _ space: Workspace,
        _ output: UnsafeMutablePointer<Float>
    ) {
        let start = frame * hop - nFFT / 2
        let lower = max(0, -start)
        let upper = min(nFFT, length - start)
        guard lower < upper else { return }
        let target = output + start
        for n in lower..<upper { target[n] += space.time[n] * synthesis[n] }
    }

    /// Divides by the summed squared window: constant inside, tapered over the first and last two frames.
    static func normalise(_ output: UnsafeMutablePointer<Float>, frames: Int, _ space: Workspace) {
        let quarters = nFFT / hop
        interiorNorm.withUnsafeBufferPointer { interior in
            for block in 0..<frames {
                // Output block `block` is block m = block + 2 of the padded overlap-add; frame i adds its
                // quarter k = m − i there, for 0 ≤ i < F.
                let m = block + 2
                let used = max(0, m - frames + 1)..<min(quarters, m + 1)
                var norm = interior.baseAddress.unsafelyUnwrapped
                if used != 0..<quarters {
                    for j in 0..<hop { space.edgeNorm[j] = 1 / max(overlapSum(j, quarters: used), 1e-11) }
                    norm = UnsafePointer(space.edgeNorm)
                }
                let target = output + block * hop
                for j in 0..<hop { target[j] *= norm[j] }
            }
        }
    }
}
