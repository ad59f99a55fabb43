#if canImport(Glibc)
import Glibc
#endif

/// The default noise for the hibari vocoder: seeded standard normal values from xoshiro256** and a ziggurat.
///
/// The same seed always gives the same values, hence the same audio. The generator is a value: copying it
/// copies its state, and each copy then draws the same sequence. Not the numpy generator, so the audio differs
/// from the Python package's in the (quiet) noise branch only.
public struct HibariGaussianNoise: HibariNoiseSource, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose state is expanded from `seed` with SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func nextBits() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// The next standard normal value.
    public mutating func next() -> Float {
        draw(Ziggurat.tables)
    }

    /// Fills `values` with the next standard normal values; `bin` and `frames` are not needed.
    public mutating func fill(_ values: UnsafeMutableBufferPointer<Float>, bin: Int, frames: Range<Int>) {
        let tables = Ziggurat.tables
        var generator = self  // a local copy stays in registers
        for index in values.indices { values[index] = generator.draw(tables) }
        self = generator
    }

    @inline(__always)
    private mutating func draw(_ tables: Ziggurat) -> Float {
        while true {
            let bits = nextBits()
            let layer = Int(bits & 0xFF)
            let sign = UInt32(truncatingIfNeeded: bits >> 8) << 31  // bit 8, as a float sign (no branch)
            let u = UInt32(truncatingIfNeeded: bits >> 40)  // 24 uniform bits
            let x = Float(u) * tables.width[layer]
            if u < tables.threshold[layer] { return Float(bitPattern: x.bitPattern ^ sign) }
            if let value = slowPath(layer: layer, x: Double(x), tables: tables) {
                return Float(bitPattern: Float(value).bitPattern ^ sign)
            }
        }
    }

    /// The rare cases: the tail beyond R (layer 0) or a point in a layer's wedge; `nil` means draw again.
    private mutating func slowPath(layer: Int, x: Double, tables: Ziggurat) -> Double? {
        if layer == 0 {
            // Marsaglia's tail method: R + e1/R, accepted when 2·e2 > (e1/R)².
            while true {
                let e1 = -log(uniformOpen()) / Ziggurat.r
                let e2 = -log(uniformOpen())
                if e2 + e2 > e1 * e1 { return Ziggurat.r + e1 }
            }
        }
        let below = tables.height[layer]
        let above = tables.height[layer + 1]
        let y = below + uniformOpen() * (above - below)
        return y < exp(-0.5 * x * x) ? x : nil
    }

    /// A uniform double in (0, 1].
    private mutating func uniformOpen() -> Double {
        Double((nextBits() >> 11) + 1) * 0x1p-53
    }
}

/// The tables of a 256-layer ziggurat for exp(−x²/2) (Marsaglia & Tsang; Doornik's constants).
///
/// Layer i covers [0, x_i] × [f(x_i), f(x_{i+1})], every layer (the base one with its tail) having area V;
/// x_1 = R, x_256 = 0 and x_0 = V / f(R) is the base layer's equivalent width.
struct Ziggurat: Sendable {
    static let r = 3.654_152_885_361_008_8
    static let area = 4.928_673_233_99e-3
    static let tables = Ziggurat()

    /// x_i / 2^24: multiplies 24 uniform bits into a point of layer i.
    let width: [Float]
    /// 2^24 · x_{i+1} / x_i: below it a point lies under the next layer, so under the curve.
    let threshold: [UInt32]
    /// f(x_i) for i in 0...256, with f(x_0) taken as 0 (the base layer's wedge test never runs).
    let height: [Double]

    private init() {
        let f = { (x: Double) in exp(-0.5 * x * x) }
        var x = [Double](repeating: 0, count: 257)
        x[0] = Self.area / f(Self.r)
        x[1] = Self.r
        for i in 1..<255 { x[i + 1] = (-2 * log(Self.area / x[i] + f(x[i]))).squareRoot() }
        x[256] = 0
        width = (0..<256).map { Float(x[$0] * 0x1p-24) }
        threshold = (0..<256).map { UInt32((x[$0 + 1] / x[$0] * 0x1p24).rounded(.down)) }
        height = (0...256).map { $0 == 0 ? 0 : f(x[$0]) }
    }
}
