/// Eight-lane `Float` versions of exp, tanh, sin and cos for the vocoder's per-bin and per-sample loops.
///
/// These are full-precision float routines (Cephes-style: Cody–Waite range reduction and minimax
/// polynomials), not low-precision shortcuts: within about 2 ulp of Glibc's `expf`/`sinf`/`cosf`, and `tanh`
/// within about 2e-7 absolute, over the ranges the vocoder uses (exp arguments ≤ 88, sin/cos arguments
/// with |x| < 8192). They exist because the package builds for the x86-64 baseline, where calling the scalar
/// Glibc functions six times per bin per frame would cost several times the FFTs themselves.
/// `HibariVocoderTests` checks them against Glibc.
enum HibariMath {
    typealias Vector = SIMD8<Float>
    typealias Bits = SIMD8<UInt32>
    typealias Integers = SIMD8<Int32>
    typealias Mask = SIMDMask<Integers>
    /// Lanes per vector: eight (two SSE registers on the x86-64 baseline, for more independent work per step).
    static let lanes = Vector.scalarCount

    /// 1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits
    /// (its bit pattern, minus the constant's, is that integer).
    private static let roundingMagic: Float = 12_582_912
    private static let roundingMagicBits: UInt32 = 0x4B40_0000

    @inline(__always)
    static func bits(_ value: Vector) -> Bits { unsafeBitCast(value, to: Bits.self) }

    @inline(__always)
    static func float(_ bits: Bits) -> Vector { unsafeBitCast(bits, to: Vector.self) }

    /// `mask ? a : b`, lane by lane, with bit operations (the standard library's generic
    /// `replacing(with:where:)`, `pointwiseMin` and `clamped` are not inlined and go lane by lane).
    @inline(__always)
    static func select(_ mask: Mask, _ a: Vector, else b: Vector) -> Vector {
        let m = unsafeBitCast(mask, to: Bits.self)
        return float(bits(b) ^ ((bits(a) ^ bits(b)) & m))
    }

    /// min(x, limit), lane by lane (x when x is NaN).
    @inline(__always)
    static func minimum(_ x: Vector, _ limit: Float) -> Vector {
        select(x .> limit, Vector(repeating: limit), else: x)
    }

    /// max(x, limit), lane by lane (x when x is NaN).
    @inline(__always)
    static func maximum(_ x: Vector, _ limit: Float) -> Vector {
        select(x .< limit, Vector(repeating: limit), else: x)
    }

    /// |x|, lane by lane.
    @inline(__always)
    static func magnitude(_ x: Vector) -> Vector { float(bits(x) & 0x7FFF_FFFF) }

    /// e^x, lane by lane; 0 below −87.33 (where `expf` leaves the normal range) and saturating above 88.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let underflow = x .< -87.336_54
        let clamped = minimum(maximum(x, -87.336_54), 88)
        // n = round(x / ln 2), and its integer value from the low bits of the rounded sum.
        let shifted = clamped * 1.442_695_04 + roundingMagic
        let n = shifted - roundingMagic
        let exponent = unsafeBitCast(shifted, to: Integers.self) &- Int32(roundingMagicBits)
        // r = x − n ln 2 in two parts (the first is exact: 0.693359375 has nine significant bits).
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_40e-4
        let r2 = r * r
        var p: Vector = Vector(repeating: 1.987_569_150_0e-4) * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let mantissa = p * r2 + r + 1
        // 2^n for n in −126...127: a normal float built from its exponent field.
        let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: Vector.self)
        let result = mantissa * scale
        return select(underflow, .zero, else: result)
    }

    /// tanh(x), lane by lane: an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above it.
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let sign = bits(x) & 0x8000_0000
        let a = magnitude(x)
        let z = a * a
        var p: Vector = Vector(repeating: -5.704_988_727_45e-3) * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        let small = p * z * a + a
        let e = exp(minimum(a + a, 20))
        let large = 1 - 2 / (e + 1)
        let magnitude = select(a .>= 0.625, large, else: small)
        return float(bits(magnitude) | sign)
    }

    /// sin(x) and cos(x), lane by lane, for |x| < 8192.
    @inline(__always)
    static func sincos(_ x: Vector) -> (sin: Vector, cos: Vector) {
        // j = round(x · 2/π); r = x − j·π/2 in three parts (Cephes' DP1..DP3, doubled).
        let shifted = x * 0.636_619_772_4 + roundingMagic
        let j = shifted - roundingMagic
        let quadrant = bits(shifted) &- roundingMagicBits
        var r = x - j * 1.570_312_5
        r = r - j * 4.837_512_969_970_703_125e-4
        r = r - j * 7.549_789_954_891_882_16e-8
        let z = r * r
        var s: Vector = Vector(repeating: -1.951_529_589_1e-4) * z + 8.332_160_873_6e-3
        s = s * z - 1.666_665_461_1e-1
        s = s * z * r + r
        var c: Vector = Vector(repeating: 2.443_315_711_809_948e-5) * z - 1.388_731_625_493_765e-3
        c = c * z + 4.166_664_568_298_827e-2
        c = c * z * z - 0.5 * z + 1
        // Quadrant q: sin x = (s, c, −s, −c)[q], cos x = (c, −s, −c, s)[q].
        let swap = unsafeBitCast(quadrant & 1 &* 0xFFFF_FFFF, to: Mask.self)
        let sinValue = select(swap, c, else: s)
        let cosValue = select(swap, s, else: c)
        let sinSign = (quadrant & 2) &<< 30
        let cosSign = ((quadrant &+ 1) & 2) &<< 30
        return (float(bits(sinValue) ^ sinSign), float(bits(cosValue) ^ cosSign))
    }

    /// Loads up to ``lanes`` floats from `pointer`, padding with `fill` past `count`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, count: Int, fill: Float = 0) -> Vector {
        if count >= lanes { return UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self) }
        var v = Vector(repeating: fill)
        for lane in 0..<max(count, 0) { v[lane] = pointer[lane] }
        return v
    }

    /// Stores the first `count` lanes of `value` at `pointer`.
    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
        if count >= lanes {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
            return
        }
        for lane in 0..<count { pointer[lane] = value[lane] }
    }
}
