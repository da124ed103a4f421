/// xoshiro256** 1.0 (Blackman & Vigna, 2018), seeded through SplitMix64.
///
/// Chosen because it is small, fast, statistically strong and — unlike `SystemRandomNumberGenerator`
/// or Foundation's generators — gives the same stream on every platform for the same seed.
/// Normal variates use the Box–Muller transform with both outputs used (see `nextNormal()`),
/// so `normal` streams are also platform-independent (only `log`, `sqrt`, `cos`, `sin` of libm are used;
/// these are correctly rounded to within 1 ulp on glibc and Apple libm).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// Seeds the four state words from `seed` with SplitMix64, as the reference implementation recommends.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
        spareNormal = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal variate (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        // u1 in (0, 1] so that log(u1) is finite.
        let u1 = 1.0 - nextUniform()
        let u2 = nextUniform()
        let radius = (-2.0 * _log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * _sin(angle)
        return radius * _cos(angle)
    }

    /// A uniform sign, −1 or +1.
    public mutating func nextSign() -> Double {
        (next() >> 63) == 0 ? -1.0 : 1.0
    }

    /// An integer uniformly in 0..<bound, by Lemire's multiply-and-reject method (2019), written out here rather than
    /// taken from `Int.random(in:using:)`, whose algorithm the standard library does not promise to keep.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }
}
