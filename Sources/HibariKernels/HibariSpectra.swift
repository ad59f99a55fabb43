/// The hibari model's outputs for one chunk of speech: five spectral parts and the F0 curve.
///
/// Each spectral array holds `601 · F` floats, row-major `[bin][frame]`, exactly as ONNX Runtime returns the
/// model's `[1, 601, F]` tensors; `f0` holds F values in Hz (one per 12.5 ms frame; below 40 Hz means unvoiced).
/// ``HibariVocoder`` turns them into `F · 300` samples at 24 kHz.
public struct HibariSpectra: Sendable {
    /// Log magnitude of the harmonic (pulse-train) branch.
    public var lh: [Float]
    /// Phase of the harmonic branch's filter, as π · tanh(theta).
    public var theta: [Float]
    /// Log magnitude of the noise branch.
    public var ln: [Float]
    /// Log magnitude of the free-phase branch.
    public var lr: [Float]
    /// Phase of the free-phase branch, in radians.
    public var phi: [Float]
    /// The fundamental frequency per frame, in Hz.
    public var f0: [Float]

    /// The number of frames F.
    public var frames: Int { f0.count }

    /// Wraps the model's outputs for one chunk.
    ///
    /// - Precondition: each spectral array holds `HibariVocoder.bins * f0.count` values.
    public init(lh: [Float], theta: [Float], ln: [Float], lr: [Float], phi: [Float], f0: [Float]) {
        let count = HibariVocoder.bins * f0.count
        precondition(
            [lh, theta, ln, lr, phi].allSatisfy { $0.count == count },
            "hibari spectra must hold 601 x F values each, F = f0.count = \(f0.count)"
        )
        self.lh = lh
        self.theta = theta
        self.ln = ln
        self.lr = lr
        self.phi = phi
        self.f0 = f0
    }

    /// Base addresses of the six arrays, valid only inside ``withPointers(_:)``.
    struct Pointers {
        let lh, theta, ln, lr, phi, f0: UnsafePointer<Float>
    }

    /// Calls `body` with the arrays' storage; `frames` must be at least 1.
    func withPointers<R>(_ body: (Pointers) -> R) -> R {
        lh.withUnsafeBufferPointer { lh in
            theta.withUnsafeBufferPointer { theta in
                ln.withUnsafeBufferPointer { ln in
                    lr.withUnsafeBufferPointer { lr in
                        phi.withUnsafeBufferPointer { phi in
                            f0.withUnsafeBufferPointer { f0 in
                                // Non-empty arrays always have a base address.
                                body(
                                    Pointers(
                                        lh: lh.baseAddress.unsafelyUnwrapped,
                                        theta: theta.baseAddress.unsafelyUnwrapped,
                                        ln: ln.baseAddress.unsafelyUnwrapped,
                                        lr: lr.baseAddress.unsafelyUnwrapped,
                                        phi: phi.baseAddress.unsafelyUnwrapped,
                                        f0: f0.baseAddress.unsafelyUnwrapped
                                    )
                                )
                            }
                        }
                    }
                }
            }
        }
    }
}
