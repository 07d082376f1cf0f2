#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable pseudo-random generator (xoshiro256**, seeded
/// through SplitMix64).
///
/// Every draw FERLab makes goes through this type and its own `uniform` and
/// `normal` methods rather than the standard library's `random(in:)`, whose
/// algorithms may change between Swift releases: the same seed gives the same
/// numbers everywhere, which keeps reports byte-identical.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is fixed by `seed`.
    package init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Creates an independent stream derived from `seed` and a stream number,
    /// for work that is split into parts (one stream per part keeps results
    /// independent of how the parts are scheduled).
    package init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    package mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in `range`.
    package mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A uniform integer in `0..<bound` (Lemire's nearly-divisionless method).
    package mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }

    /// `true` with probability `p`.
    package mutating func chance(_ p: Double) -> Bool {
        uniform() < p
    }

    /// A standard normal draw (Box-Muller, one value per call).
    package mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A normal draw with the given mean and standard deviation.
    package mutating func normal(mean: Double, deviation: Double) -> Double {
        mean + deviation * normal()
    }

    /// Shuffles `array` in place (Fisher-Yates with `below`).
    package mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// A uniform sample of `count` of the positions `0..<total`, sorted (all of them when `count` is not
    /// smaller): the first `count` places of a partial Fisher-Yates shuffle.
    package mutating func sample(_ count: Int, of total: Int) -> [Int] {
        var order = Array(0..<total)
        guard count < total else { return order }
        for place in 0..<count {
            order.swapAt(place, place + below(total - place))
        }
        return order.prefix(count).sorted()
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
