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
    /// What the check reads besides the split: the small copies' side, the threshold, and how many held-out
    /// images are checked.
    package struct Settings: StageParameters {
        /// Side of the small copies compared.
        package var side = 16
        /// Correlation at and above which a held-out image counts as a near-copy.
        package var threshold = 0.97
        /// Held-out images checked: above this many, a seeded uniform sample of this many, each still against
        /// every training image (the exact search grows with the product of the two counts).
        package var sample = 20_000
    }

    /// The positions, among the held-out rows, of the images checked, in order: all of them unless sampled.
    package var checked: [Int]
    /// Held-out images in all.
    package var heldOut: Int
    /// Per image checked, its nearest training row (a dataset row).
    package var nearest: [Int]
    /// Per image checked, the correlation of the two small copies.
    package var correlation: [Float]
    /// The threshold used.
    package var threshold: Double
    /// Side of the small copies compared.
    package var side: Int

    /// Images checked that are near-copies of a training image.
    package var count: Int { correlation.count { Double($0) >= threshold } }

    /// Whether a sample of the held-out images was checked.
    package var sampled: Bool { checked.count < heldOut }

    /// The 95% interval of the share of all held-out images that are near-copies, when a sample was checked.
    package var shareInterval: ClosedRange<Double>? {
        sampled ? ProportionInterval.wilson(successes: count, trials: checked.count) : nil
    }

    /// The dataset row of the held-out image of `entry` (an index into `checked`, `nearest` and `correlation`).
    package func heldOutRow(_ entry: Int, of split: SampleSplit) -> Int {
        split.test[checked[entry]]
    }

    /// Entries (indices into `checked`, `nearest` and `correlation`) of the `limit` closest pairs, closest first.
    package func closest(_ limit: Int) -> [Int] {
        Array(correlation.indices.sorted { (correlation[$0], $1) > (correlation[$1], $0) }.prefix(limit))
    }

    /// Entries of `limit` pairs to show: the closest, or, when more than `limit` are near-copies, half the
    /// closest and half those just at the threshold, so both ends of what counts are seen.
    package func shown(_ limit: Int) -> (entries: [Int], spread: Bool) {
        let near = count
        guard near > limit else { return (closest(limit), false) }
        let ordered = closest(near)
        let top = limit - limit / 2
        return (Array(ordered.prefix(top)) + Array(ordered.suffix(limit / 2)), true)
    }

    /// Finds the nearest training row in `dataset` of each held-out row checked, exactly, on both cores.
    static func check(_ settings: Settings, dataset: Dataset, split: SampleSplit) -> NearCopies {
        let side = settings.side, train = split.train
        var random = SeededGenerator(seed: 0x4E43, stream: UInt64(split.test.count))
        let checked = random.sample(settings.sample, of: split.test.count)
        let queries = signatures(of: checked.map { split.test[$0] }, in: dataset, side: side)
        // The search already makes its blocks of references on both cores, one block per core.
        let found = InnerProductSearch.nearest(queries: queries, count: train.count) { range in
            signatures(of: Array(train[range]), in: dataset, side: side, parallel: false)
        }
        return NearCopies(
            checked: checked, heldOut: split.test.count, nearest: found.index.map { $0 >= 0 ? train[$0] : -1 },
            correlation: found.similarity, threshold: settings.threshold, side: side)
    }

    /// The small, centred, unit-length copies of `rows`, one row each (all zero for an image of one gray level),
    /// made on both cores when `parallel`.
    static func signatures(of rows: [Int], in dataset: Dataset, side: Int, parallel: Bool = true) -> Matrix {
        let length = side * side
        var values = [Float](repeating: 0, count: rows.count * length)
        values.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress!)
            let chunks = parallel ? min(64, max(1, rows.count / 256)) : 1
            let resizing = ImageResizing(from: dataset.width, dataset.height, to: side, side)
            ParallelLoop.forEachChunk(count: rows.count, chunks: chunks) { _, range in
                // One small copy and one pass's rows per chunk, reused for each of its images.
                var small = [UInt8](repeating: 0, count: length)
                var passRows = [Float](repeating: 0, count: side * dataset.height)
                for index in range {
                    small.withUnsafeMutableBufferPointer { output in
                        passRows.withUnsafeMutableBufferPointer { passRows in
                            dataset.image(rows[index]).withUnsafeBufferPointer { pixels in
                                resizing.resample(pixels, into: output, rows: passRows)
                            }
                        }
                    }
                    var sum = 0.0
                    for value in small { sum += Double(value) }
                    let mean = sum / Double(length)
                    var squares = 0.0
                    for value in small { squares += (Double(value) - mean) * (Double(value) - mean) }
                    let norm = squares.squareRoot()
                    guard norm > 1e-9 else { continue }
                    for (offset, value) in small.enumerated() {
                        out.pointer[index * length + offset] = Float((Double(value) - mean) / norm)
                    }
                }
            }
        }
        return Matrix(rows: rows.count, columns: length, values: values)
    }
}

extension NearCopies: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(checked.map(Int64.init))
        writer.write(Int64(heldOut))
        writer.write(nearest.map(Int64.init))
        writer.write(correlation)
        writer.write(threshold)
        writer.write(Int64(side))
    }

    package init(from reader: inout BinaryReader) throws {
        let checked: [Int64] = try reader.read(), heldOut = Int(try reader.read(Int64.self))
        let nearest: [Int64] = try reader.read(), correlation: [Float] = try reader.read()
        guard nearest.count == correlation.count, checked.count == nearest.count, checked.count <= heldOut else {
            throw CacheError.malformed
        }
        self.init(
            checked: checked.map(Int.init), heldOut: heldOut, nearest: nearest.map(Int.init),
            correlation: correlation, threshold: try reader.read(), side: Int(try reader.read(Int64.self)))
    }
}
