// MARK: - Pulse train

extension HibariVocoder {
    /// F0 below this (Hz) is unvoiced: no pulses.
    static let voicingThreshold: Float = 40
    /// Harmonics up to this frequency (Hz) make up the pulse train.
    static let highestHarmonic: Float = 11_000

    /// Linear-interpolation weights for the samples of one frame (`align_corners=False`).
    ///
    /// Sample j of frame k lies at k + (j + 0.5)/hop − 0.5: between frames k−1 and k for j < hop/2, between
    /// k and k+1 after. `later` is the weight of the later frame, `earlier` = 1 − `later`.
    static let interpolation: (later: [Float], earlier: [Float]) = {
        let later = (0..<hop).map { j -> Float in
            let position = (Double(j) + 0.5) / Double(hop) - 0.5
            return Float(position - position.rounded(.down))
        }
        return (later, later.map { 1 - $0 })
    }()

    /// Writes the band-limited pulse train for `f0` at `signal[0 ..< F·hop]`.
    ///
    /// Every harmonic of the interpolated F0 below ``highestHarmonic`` at unit amplitude:
    /// Σ_{h ≤ H} cos(h t) = sin((H + ½) t) / (2 sin(t/2)) − ½, with its limit H + ½ − ½ where sin(t/2) ≈ 0;
    /// 0 where F0 < ``voicingThreshold``. The phase t is the running sum of the (clamped) frequency in `Double`,
    /// wrapped to [0, 2π) before it becomes a `Float`, as in the reference.
    ///
    /// - Parameters:
    ///   - signal: room for `F·hop + 8` floats (the last 8 are overwritten as padding).
    ///   - rate: scratch for `F·hop + 8` floats.
    static func pulses(
        f0: UnsafePointer<Float>,
        frames: Int,
        signal: UnsafeMutablePointer<Float>,
        rate: UnsafeMutablePointer<Float>
    ) {
        let length = frames * hop
        let half = hop / 2
        // Pass 1, sequential: the interpolated rate (clamped to the threshold) and the wrapped phase.
        interpolation.later.withUnsafeBufferPointer { later in
            interpolation.earlier.withUnsafeBufferPointer { earlier in
                var sum = 0.0
                var whole = 0.0
                for k in 0..<frames {
                    let previous = f0[max(k - 1, 0)]
                    let current = f0[k]
                    let next = f0[min(k + 1, frames - 1)]
                    for j in 0..<hop {
                        let f: Float
                        if j < half {
                            f = previous * earlier[j] + current * later[j]
                        } else {
                            f = current * earlier[j] + next * later[j]
                        }
                        let clamped = max(f, voicingThreshold)
                        sum += Double(clamped)
                        let cycles = sum * (1.0 / Double(sampleRate))
                        if cycles - whole >= 1 { whole = cycles.rounded(.down) }  // numpy's modf, kept exact
                        let n = k * hop + j
                        rate[n] = clamped
                        signal[n] = Float((cycles - whole) * (2 * Double.pi))
                    }
                }
            }
        }
        for n in length..<length + 8 {
            rate[n] = voicingThreshold
            signal[n] = 0
        }
        // Pass 2, a vector of samples at a time: the closed-form harmonic sum.
        typealias Vector = HibariMath.Vector
        for n in stride(from: 0, to: length, by: HibariMath.lanes) {
            let f = HibariMath.load(rate + n, count: HibariMath.lanes)
            let t = HibariMath.load(signal + n, count: HibariMath.lanes)
            let quotient = highestHarmonic / f
            let nearest = (quotient + 12_582_912) - 12_582_912
            let harmonics = HibariMath.select(nearest .> quotient, nearest - 1, else: nearest) + 0.5
            let denominator = HibariMath.sincos(t * 0.5).sin * 2
            let limit = HibariMath.magnitude(denominator) .<= Float(2e-3)
            let numerator = HibariMath.sincos(harmonics * t).sin
            let ratio = numerator / HibariMath.select(limit, Vector(repeating: 1), else: denominator)
            let e = HibariMath.select(limit, harmonics, else: ratio) - 0.5
            let voiced = HibariMath.select(f .<= voicingThreshold, .zero, else: e)
            HibariMath.store(voiced, signal + n, count: HibariMath.lanes)
        }
    }

    /// Reflect-pads the `count` samples at `padded + half` by `half` samples on each side (numpy's
    /// `mode="reflect"`: mirrored without repeating the edge, repeatedly when the signal is shorter than the pad).
    static func reflectPad(_ padded: UnsafeMutablePointer<Float>, count: Int, half: Int) {
        let period = 2 * (count - 1)
        func source(_ index: Int) -> Int {
            guard period > 0 else { return 0 }
            let m = abs(index) % period
            return m < count ? m : period - m
        }
        let signal = padded + half
        for i in 1...half {
            padded[half - i] = signal[source(-i)]
            signal[count - 1 + i] = signal[source(count - 1 + i)]
        }
    }
}
