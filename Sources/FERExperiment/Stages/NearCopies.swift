import FERCodecs
import FERCore
import FERData
import FERMath
import FERStages

/// The near-copy check of a split: each held-out image's nearest training
/// image, compared as a small copy (area-shrunk to `side` x `side`, less its
/// mean, scaled to unit length), so the similarity is the Pearson correlation
/// of the small copies. A held-out image whose correlation reaches the
/// threshold is counted as a near-copy of a training image: the same photo
/// (or a frame of the same sequence) on both sides of the split, which
/// inflates every held-out accuracy.
///
/// The threshold, 0.97 on 16 x 16 copies, was calibrated with
/// `Scripts/reference/calibrate_near_copies.py` (README, "Near-copies across
/// the split").
package struct NearCopies: Sendable, Equatable {
    /// What the check reads besides the split: the small copies' side and the threshold.
    package struct Settings: StageParameters {
        /// Side of the small copies compared.
        package var side = 16
        /// Correlation at and above which a held-out image counts as a near-copy.
        package var threshold = 0.97
    }

    /// Per held-out row, in the split's order, its nearest training row (a dataset row).
    package var nearest: [Int]
    /// Per held-out row, the correlation of the two small copies.
    package var correlation: [Float]
    /// The threshold used.
    package var threshold: Double
    /// Side of the small copies compared.
    package var side: Int

    /// Held-out images that are near-copies of a training image.
    package var count: Int { correlation.count { Double($0) >= threshold } }

    /// Positions among the held-out rows of the `limit` closest pairs, closest first.
    package func closest(_ limit: Int) -> [Int] {
        Array(correlation.indices.sorted { (correlation[$0], $1) > (correlation[$1], $0) }.prefix(limit))
    }

    /// Positions of `limit` pairs to show: the closest, or, when more than `limit` are near-copies, half the
    /// closest and half those just at the threshold, so both ends of what counts are seen.
    package func shown(_ limit: Int) -> (positions: [Int], spread: Bool) {
        let near = count
        guard near > limit else { return (closest(limit), false) }
        let ordered = closest(near)
        let top = limit - limit / 2
        return (Array(ordered.prefix(top)) + Array(ordered.suffix(limit / 2)), true)
    }

    /// Finds each held-out row's nearest training row in `dataset`, exactly, on both cores.
    static func check(_ settings: Settings, dataset: Dataset, split: SampleSplit) -> NearCopies {
        let side = settings.side, train = split.train
        let queries = signatures(of: split.test, in: dataset, side: side)
        // The search already makes its blocks of references on both cores, one block per core.
        let found = InnerProductSearch.nearest(queries: queries, count: train.count) { range in
            signatures(of: Array(train[range]), in: dataset, side: side, parallel: false)
        }
        return NearCopies(
            nearest: found.index.map { $0 >= 0 ? train[$0] : -1 }, correlation: found.similarity,
            threshold: settings.threshold, side: side)
    }

    /// The small, centred, unit-length copies of `rows`, one row each (all zero for an image of one gray level),
    /// made on both cores when `parallel`.
    static func signatures(of rows: [Int], in dataset: Dataset, side: Int, parallel: Bool = true) -> Matrix {
        let length = side * side
        var values = [Float](repeating: 0, count: rows.count * length)
        values.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress!)
            let chunks = parallel ? min(64, max(1, rows.count / 256)) : 1
            ParallelLoop.forEachChunk(count: rows.count, chunks: chunks) { _, range in
                for index in range {
                    let image = GrayImage(
                        width: dataset.width, height: dataset.height, pixels: Array(dataset.image(rows[index])))
                    let small = ImageResizer.resize(image, width: side, height: side).pixels.map(Double.init)
                    let mean = small.reduce(0, +) / Double(length)
                    let norm = small.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }.squareRoot()
                    guard norm > 1e-9 else { continue }
                    for (offset, value) in small.enumerated() {
                        out.pointer[index * length + offset] = Float((value - mean) / norm)
                    }
                }
            }
        }
        return Matrix(rows: rows.count, columns: length, values: values)
    }
}

extension NearCopies: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(nearest.map(Int64.init))
        writer.write(correlation)
        writer.write(threshold)
        writer.write(Int64(side))
    }

    package init(from reader: inout BinaryReader) throws {
        let nearest: [Int64] = try reader.read(), correlation: [Float] = try reader.read()
        guard nearest.count == correlation.count else { throw CacheError.malformed }
        self.init(
            nearest: nearest.map(Int.init), correlation: correlation, threshold: try reader.read(),
            side: Int(try reader.read(Int64.self)))
    }
}
