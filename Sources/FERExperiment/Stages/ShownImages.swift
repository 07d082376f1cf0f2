import FERCore

/// The training images the explorer and the t-SNE view show: all of them, or
/// a seeded sample above `images.explorer`.
package enum ShownImages {
    /// Positions (into the training rows) of the images shown: all `count`, or a seeded sample of `limit`, in
    /// training order.
    package static func positions(of count: Int, limit: Int, seed: UInt64) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        var random = SeededGenerator(seed: seed, stream: 0x6578_706C)
        var positions = Array(0..<count)
        random.shuffle(&positions)
        return Array(positions.prefix(limit)).sorted()
    }
}
