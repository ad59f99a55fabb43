import CKissFFT

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Buffers and FFT plans for one call

extension HibariVocoder {
    /// The most frames whose spectra are prepared together, bin by bin (a multiple of the vector width).
    static let blockFrames = 32

    /// Everything one ``HibariVocoder/synthesize(_:noise:)`` call allocates, once: O(F) for the pulse train,
    /// fixed-size scratch for the rest. Owned by that call only (KISS FFT plans hold their own scratch, so they
    /// must not be shared between threads), and freed when it ends.
    final class Workspace {
        /// The reflect-padded pulse train: `nFFT/2` + F·hop + `nFFT/2` samples (plus vector padding).
        let padded: UnsafeMutablePointer<Float>
        /// Scratch for the interpolated F0 per sample.
        let rate: UnsafeMutablePointer<Float>
        /// Whether each hop-sized block of `padded` holds a non-zero sample.
        let blockHasSignal: UnsafeMutablePointer<Bool>
        /// Whether each frame's analysis window holds a non-zero sample.
        let frameHasSignal: UnsafeMutablePointer<Bool>
        /// The same for each vector-sized group of frames in a block.
        let groupHasSignal: UnsafeMutablePointer<Bool>
        /// Frames per block: ``blockFrames``, or fewer (rounded up to whole vectors) for a short chunk.
        let block: Int
        /// Per-bin factors for a block of frames, `[bin][frame in block]`: the harmonic filter A (real,
        /// imaginary) and the additive part N (noise plus free-phase branch). Four planes of one allocation.
        let filterReal, filterImaginary, addReal, addImaginary: UnsafeMutablePointer<Float>
        /// One bin's noise for a block: (real, imaginary) per frame.
        let noise: UnsafeMutablePointer<Float>
        /// One frame's samples, before the forward and after the inverse FFT.
        let time: UnsafeMutablePointer<Float>
        /// The pulse train's spectrum and the final spectrum of one frame.
        let pulseSpectrum, spectrum: UnsafeMutablePointer<kiss_fft_cpx>
        /// Scratch for the normalisation of one output block near the ends.
        let edgeNorm: UnsafeMutablePointer<Float>
        let forward: kiss_fftr_cfg
        let inverse: kiss_fftr_cfg

        init(frames: Int) {
            let lanes = HibariMath.lanes
            let block = min(HibariVocoder.blockFrames, (frames + lanes - 1) / lanes * lanes)
            self.block = block
            padded = .allocate(capacity: (frames + 4) * hop + 8)
            rate = .allocate(capacity: frames * hop + 8)
            blockHasSignal = .allocate(capacity: frames + 4)
            frameHasSignal = .allocate(capacity: frames)
            groupHasSignal = .allocate(capacity: block)
            let plane = bins * block
            filterReal = .allocate(capacity: 4 * plane)
            filterImaginary = filterReal + plane
            addReal = filterReal + 2 * plane
            addImaginary = filterReal + 3 * plane
            noise = .allocate(capacity: 2 * block)
            time = .allocate(capacity: nFFT)
            pulseSpectrum = .allocate(capacity: bins)
            spectrum = .allocate(capacity: bins)
            edgeNorm = .allocate(capacity: hop)
            // kiss_fftr_alloc returns nil only when malloc fails.
            guard let forward = kiss_fftr_alloc(Int32(nFFT), 0, nil, nil),
                let inverse = kiss_fftr_alloc(Int32(nFFT), 1, nil, nil)
            else { fatalError("KISS FFT could not allocate a \(nFFT)-point plan") }
            self.forward = forward
            self.inverse = inverse
        }

        deinit {
            for pointer in [padded, rate, filterReal, noise, time, edgeNorm] {
                pointer.deallocate()
            }
            for flags in [blockHasSignal, frameHasSignal, groupHasSignal] { flags.deallocate() }
            pulseSpectrum.deallocate()
            spectrum.deallocate()
            free(UnsafeMutableRawPointer(forward))
            free(UnsafeMutableRawPointer(inverse))
        }
    }
}
