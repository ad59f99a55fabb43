/// A source of standard normal values for the hibari vocoder's noise branch.
///
/// The vocoder adds `exp(min(ln, 7)) · Z` to every spectral bin of every frame, where Z is complex Gaussian
/// noise whose real and imaginary parts are independent standard normals. It asks its noise source for
/// those values one bin at a time over a block of frames; a generator can ignore the position and just draw
/// the next values (as ``HibariGaussianNoise`` does), while ``HibariRecordedNoise`` uses it to replay values
/// laid out exactly as the Python reference draws them.
public protocol HibariNoiseSource {
    /// Writes the noise for frequency bin `bin` of the frames in `frames`: `values.count == 2 * frames.count`
    /// floats, the real then the imaginary part for each frame in order.
    ///
    /// Within one ``HibariVocoder/synthesize(_:noise:)`` call the requests come in a fixed order (blocks of
    /// frames in increasing order, and within a block every bin from 0 to 600), so a seeded generator gives the
    /// same audio every time. (The block size is an implementation detail: a seed's audio may change between
    /// versions of the vocoder, never between runs of one.)
    mutating func fill(_ values: UnsafeMutableBufferPointer<Float>, bin: Int, frames: Range<Int>)
}

/// Noise values fixed in advance, in the layout of the Python reference's
/// `rng.standard_normal((601, 2 * F), dtype=np.float32)`.
///
/// Element `(b, 2f)` is the real part and `(b, 2f + 1)` the imaginary part of bin `b` in frame `f`: the layout
/// that numpy's `.view(np.complex64)` gives. Use it to reproduce a reference waveform exactly, in tests.
///
/// ```swift
/// var noise = HibariRecordedNoise(values: z, frames: spectra.frames)
/// let audio = HibariVocoder().synthesize(spectra, noise: &noise)
/// ```
public struct HibariRecordedNoise: HibariNoiseSource, Sendable {
    /// The values, `601 × 2F`, row-major.
    public let values: [Float]
    /// The number of frames F the values cover.
    public let frames: Int

    /// Wraps `values` (count `601 · 2 · frames`) for a chunk of `frames` frames.
    ///
    /// - Precondition: `values.count == HibariVocoder.bins * 2 * frames`.
    public init(values: [Float], frames: Int) {
        precondition(values.count == HibariVocoder.bins * 2 * frames, "recorded noise must hold 601 x 2F values")
        self.values = values
        self.frames = frames
    }

    /// Copies bin `bin`'s values for `frames` (see ``HibariNoiseSource/fill(_:bin:frames:)``).
    public mutating func fill(_ values: UnsafeMutableBufferPointer<Float>, bin: Int, frames: Range<Int>) {
        precondition(frames.upperBound <= self.frames && values.count == 2 * frames.count, "noise request out of range")
        let start = bin * 2 * self.frames + 2 * frames.lowerBound
        self.values.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress, let target = values.baseAddress else { return }
            target.update(from: base + start, count: values.count)
        }
    }
}
