/// xxHash64 (Yann Collet's non-cryptographic hash): fast enough to hash a
/// 300 MB dataset on every run, with 64-bit output for cache keys and
/// checksums. Not for adversarial input.
package struct ContentHash: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `bytes` with `seed`.
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var stream = Stream(seed: seed)
        stream.add(bytes)
        return stream.value
    }

    /// The hash of bytes given piece by piece (a file read in chunks): the same as `hash` of them all at once.
    package struct Stream: Sendable {
        private let seed: UInt64
        private var lanes: (UInt64, UInt64, UInt64, UInt64)
        /// Bytes added so far.
        private var count = 0
        /// The last bytes added that do not fill a 32-byte stripe yet (`pendingCount` of them).
        private var pending = [UInt8](repeating: 0, count: 32)
        private var pendingCount = 0

        /// A hash of no bytes yet, with `seed`.
        package init(seed: UInt64 = 0) {
            self.seed = seed
            lanes = (seed &+ prime1 &+ prime2, seed &+ prime2, seed, seed &- prime1)
        }

        /// Adds `bytes` after those added before.
        package mutating func add(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            count += bytes.count
            var index = 0
            if pendingCount > 0 {
                let taken = min(32 - pendingCount, bytes.count)
                for offset in 0..<taken { pending[pendingCount + offset] = bytes[offset] }
                pendingCount += taken
                index = taken
                guard pendingCount == 32 else { return }
                pending.withUnsafeBytes { if let full = $0.baseAddress { stripe(full) } }
                pendingCount = 0
            }
            while index + 32 <= bytes.count {
                stripe(base + index)
                index += 32
            }
            for offset in index..<bytes.count { pending[offset - index] = bytes[offset] }
            pendingCount = bytes.count - index
        }

        private mutating func stripe(_ start: UnsafeRawPointer) {
            lanes.0 = round(lanes.0, start.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian)
            lanes.1 = round(lanes.1, start.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
            lanes.2 = round(lanes.2, start.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
            lanes.3 = round(lanes.3, start.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        }

        /// The hash of every byte added.
        package var value: UInt64 {
            var accumulator: UInt64
            if count >= 32 {
                accumulator = rotate(lanes.0, 1) &+ rotate(lanes.1, 7) &+ rotate(lanes.2, 12) &+ rotate(lanes.3, 18)
                accumulator = merge(accumulator, lanes.0)
                accumulator = merge(accumulator, lanes.1)
                accumulator = merge(accumulator, lanes.2)
                accumulator = merge(accumulator, lanes.3)
            } else {
                accumulator = seed &+ prime5
            }
            accumulator &+= UInt64(count)
            return pending.withUnsafeBytes { finish(accumulator, tail: $0, from: 0, length: pendingCount) }
        }
    }

    /// The hash of a text's UTF-8 bytes.
    package static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { hash($0, seed: seed) }
    }

    /// `value` as 16 lowercase hexadecimal digits.
    package static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    @inline(__always) private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        (value << bits) | (value >> (64 - bits))
    }

    @inline(__always) private static func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        rotate(lane &+ input &* prime2, 31) &* prime1
    }

    @inline(__always) private static func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    private static func finish(
        _ start: UInt64, tail bytes: UnsafeRawBufferPointer, from offset: Int, length: Int
    ) -> UInt64 {
        var accumulator = start
        var index = offset
        while index + 8 <= length {
            accumulator ^= round(0, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
            accumulator = rotate(accumulator, 27) &* prime1 &+ prime4
            index += 8
        }
        if index + 4 <= length {
            accumulator ^= UInt64(bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian) &* prime1
            accumulator = rotate(accumulator, 23) &* prime2 &+ prime3
            index += 4
        }
        while index < length {
            accumulator ^= UInt64(bytes[index]) &* prime5
            accumulator = rotate(accumulator, 11) &* prime1
            index += 1
        }
        accumulator ^= accumulator >> 33
        accumulator &*= prime2
        accumulator ^= accumulator >> 29
        accumulator &*= prime3
        accumulator ^= accumulator >> 32
        return accumulator
    }
}
