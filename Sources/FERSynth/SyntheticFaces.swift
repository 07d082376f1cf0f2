import FERCore
import FERData

/// FERLab's built-in dataset: 48x48 grayscale faces drawn with Cairo, one
/// class per FER2013 emotion, in FER2013's class proportions and with its
/// Training / PublicTest / PrivateTest split (80/10/10, in that row order).
///
/// Expressions differ in brows, eyes and mouth; every face also varies in
/// size, position, tilt, turn, lighting, skin and hair tone, hair style,
/// glasses and noise, so that, as in real photos, most pixel variance is
/// not about the expression. The same seed always gives the same bytes.
package enum SyntheticFaces {
    /// Rows generated when no count is given.
    package static let defaultCount = 5_000
    /// Seed used when none is given.
    package static let defaultSeed: UInt64 = 2013
    /// FER2013's images per emotion, whose proportions the generator follows.
    package static let fer2013ClassCounts = [4953, 547, 5121, 8989, 6077, 4002, 6198]
    /// The description the dataset's provenance carries.
    package static let sourceName = "synthetic"

    /// Generates `count` faces from `seed`.
    package static func generate(count: Int = defaultCount, seed: UInt64 = defaultSeed) -> Dataset {
        generate(count: count, seed: seed, rows: 0..<count, labels: shuffledLabels(count: count, seed: seed))
    }

    /// Rows `rows` of the `count` faces from `seed`, the same pixels, labels and usages as in the whole set, given
    /// the whole set's `labels` (`shuffledLabels`): for writing a set too large to hold a piece at a time.
    package static func generate(count: Int, seed: UInt64, rows: Range<Int>, labels all: [Int32]) -> Dataset {
        precondition(count > 0, "count must be positive")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count && all.count == count, "rows of the set")
        let labels = Array(all[rows])
        let side = FaceRenderer.side
        let pixelsPerImage = side * side
        let pixels = [UInt8](unsafeUninitializedCapacity: rows.count * pixelsPerImage) { buffer, initialized in
            let out = SendablePointer(buffer.baseAddress!)
            ParallelLoop.forEachChunk(count: rows.count, chunks: min(rows.count, 64)) { _, chunk in
                for index in chunk {
                    let row = rows.lowerBound + index
                    var random = SeededGenerator(seed: seed, stream: UInt64(row) + 1)
                    let shape = ExpressionShape.prototypes[Int(all[row])].varied(using: &random)
                    let look = FaceAppearance.random(using: &random)
                    let face = FaceRenderer.render(shape, look: look, random: &random)
                    face.withUnsafeBufferPointer { source in
                        (out.pointer + index * pixelsPerImage).update(
                            from: source.baseAddress!, count: pixelsPerImage)
                    }
                }
            }
            initialized = rows.count * pixelsPerImage
        }
        let usageNames = ["Training", "PublicTest", "PrivateTest"]
        let trainingEnd = count * 8 / 10, publicEnd = count * 9 / 10
        let usage: [UInt16] = rows.map { $0 < trainingEnd ? 0 : ($0 < publicEnd ? 1 : 2) }
        let provenance = DatasetProvenance(
            kind: .synthetic, path: sourceName,
            columns: ["emotion", "pixels", "Usage"], missing: ["Usage": 0])
        return Dataset(
            width: side, height: side, pixels: pixels, labels: labels,
            labelNames: EmotionLabels.fer2013, usage: usage, usageNames: usageNames,
            provenance: provenance)
    }

    /// Class quotas in FER2013's proportions (largest remainders, at least one
    /// row per class when there is room), shuffled with the seed.
    package static func shuffledLabels(count: Int, seed: UInt64) -> [Int32] {
        let total = fer2013ClassCounts.reduce(0, +)
        let exact = fer2013ClassCounts.map { Double($0) * Double(count) / Double(total) }
        var quotas = exact.map { max(count >= fer2013ClassCounts.count ? 1 : 0, Int($0)) }
        let byRemainder = exact.indices.sorted {
            exact[$0] - exact[$0].rounded(.down) > exact[$1] - exact[$1].rounded(.down)
        }
        var index = 0
        while quotas.reduce(0, +) < count {
            quotas[byRemainder[index % byRemainder.count]] += 1
            index += 1
        }
        while quotas.reduce(0, +) > count, let largest = quotas.indices.max(by: { quotas[$0] < quotas[$1] }) {
            quotas[largest] -= 1
        }
        var labels = quotas.enumerated().flatMap { code, quota in [Int32](repeating: Int32(code), count: quota) }
        var random = SeededGenerator(seed: seed)
        random.shuffle(&labels)
        return labels
    }
}
