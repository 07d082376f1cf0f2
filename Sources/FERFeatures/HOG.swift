import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Histograms of oriented gradients (Dalal and Triggs 2005), as
/// scikit-image's `hog` computes them: central-difference gradients,
/// unsigned orientations in `orientations` equal bins over 0-180°, each
/// cell's histogram the mean gradient magnitude per bin, and overlapping
/// blocks of `block` x `block` cells normalised (L2-Hys unless set).
///
/// Gradients follow the shape of features (mouth corners, brow lines)
/// rather than their brightness, and block normalisation cancels most of
/// the lighting that dominates raw pixels.
package struct HOG: Sendable, Hashable, Codable {
    /// How each block's histograms are normalised, as scikit-image's `block_norm` (epsilon 1e-5).
    package enum BlockNorm: String, Sendable, CaseIterable, Hashable, Codable {
        /// Divided by the L1 norm.
        case l1
        /// The square root of the L1-normalised values.
        case l1Sqrt = "l1-sqrt"
        /// Divided by the L2 norm.
        case l2
        /// L2, clipped at 0.2, then L2 again (Dalal and Triggs' choice).
        case l2Hys = "l2-hys"
    }

    /// The cell sides, block sides and orientation counts FERLab accepts.
    package static let cells = 2...64, blocks = 1...8, orientationCounts = 2...36

    /// Cell side in pixels.
    package var cell: Int
    /// Block side in cells.
    package var block: Int
    /// Orientation bins over 0-180°.
    package var orientations: Int
    /// Block normalisation.
    package var norm: BlockNorm

    /// A HOG descriptor; the defaults suit 48x48 faces.
    package init(cell: Int = 6, block: Int = 2, orientations: Int = 9, norm: BlockNorm = .l2Hys) {
        self.cell = cell
        self.block = block
        self.orientations = orientations
        self.norm = norm
    }

    /// Length of the descriptor of a `width` x `height` image (0 when the image is smaller than a block).
    package func dimension(width: Int, height: Int) -> Int {
        let blocksAcross = width / cell - block + 1, blocksDown = height / cell - block + 1
        guard blocksAcross > 0, blocksDown > 0 else { return 0 }
        return blocksAcross * blocksDown * block * block * orientations
    }

    /// What every gradient 8-bit images can have adds to a cell's histogram, worked out once per setting.
    /// Central differences of 8-bit pixels are whole numbers from -255 to 255, so the orientation bin
    /// of each of the 511 x 511 pairs, and the magnitude share (the gradient's length over the cell's area) of
    /// each of their squared lengths, are computed once, by the same expressions, instead of once per pixel.
    package struct GradientTables: Sendable {
        /// The bin of (`gx`, `gy`) at `(gy + 255) * 511 + gx + 255`.
        private let bins: [UInt8]
        /// `sqrt(s) / (cell * cell)` at `s = gx * gx + gy * gy`.
        private let shares: [Double]

        /// The tables of `hog`'s orientation bins and cell, kept for the last few settings used (a million images
        /// are described a batch at a time, and the tables take longer to make than a few hundred images).
        package static func tables(of hog: HOG) -> GradientTables {
            made.withLock { made in
                let key = [hog.orientations, hog.cell]
                if let tables = made[key] { return tables }
                let tables = GradientTables(hog)
                // A long-running process (the server) may see many settings: keep the tables of a few.
                if made.count >= keptSettings { made.removeAll() }
                made[key] = tables
                return tables
            }
        }

        /// Settings whose tables are kept at most (each takes 1.3 MB).
        private static let keptSettings = 4

        /// The tables kept, by `[orientations, cell]`.
        private static let made = Mutex<[[Int]: GradientTables]>([:])

        /// The tables of `hog`'s orientation bins and cell.
        init(_ hog: HOG) {
            let orientations = hog.orientations
            let binWidth = 180.0 / Double(orientations)
            bins = (-255...255).flatMap { gy in
                (-255...255).map { gx -> UInt8 in
                    var angle = atan2(Double(gy), Double(gx)) * 180 / Double.pi
                    angle = angle.truncatingRemainder(dividingBy: 180)
                    if angle < 0 { angle += 180 }
                    return UInt8(min(orientations - 1, Int(angle / binWidth)))
                }
            }
            let area = Double(hog.cell * hog.cell)
            shares = (0...(2 * 255 * 255)).map { Double($0).squareRoot() / area }
        }

        /// Calls `body` with the bins and the shares (see the properties for where each gradient's are).
        func withTables<T>(_ body: (UnsafePointer<UInt8>, UnsafePointer<Double>) -> T) -> T {
            bins.withUnsafeBufferPointer { binTable in
                shares.withUnsafeBufferPointer { body(binTable.baseAddress!, $0.baseAddress!) }
            }
        }
    }

    /// Writes the descriptor of the image at `pixels` (row-major) to `out`.
    package func describe(
        _ pixels: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<Float>
    ) {
        describe(pixels, width: width, height: height, into: out, tables: .tables(of: self))
    }

    /// Writes the descriptor of the image at `pixels` to `out`, with this descriptor's `tables` worked out
    /// beforehand.
    package func describe(
        _ pixels: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<Float>,
        tables: GradientTables
    ) {
        let cellsAcross = width / cell, cellsDown = height / cell
        var histogram = [Double](repeating: 0, count: cellsAcross * cellsDown * orientations)
        histogram.withUnsafeMutableBufferPointer { histogramBuffer in
            tables.withTables { bins, shares in
                let histogram = histogramBuffer.baseAddress!
                // Pixel by pixel, row by row; a zero gradient adds a zero share, which leaves its bin as it was.
                for y in 0..<(cellsDown * cell) {
                    let line = pixels + y * width
                    let vertical = y > 0 && y < height - 1
                    let rowCells = histogram + (y / cell) * cellsAcross * orientations
                    for cellColumn in 0..<cellsAcross {
                        let cellBins = rowCells + cellColumn * orientations
                        for x in (cellColumn * cell)..<((cellColumn + 1) * cell) {
                            let gy = vertical ? Int(line[x + width]) - Int(line[x - width]) : 0
                            let gx = x > 0 && x < width - 1 ? Int(line[x + 1]) - Int(line[x - 1]) : 0
                            cellBins[Int(bins[(gy + 255) * 511 + gx + 255])] += shares[gx * gx + gy * gy]
                        }
                    }
                }
            }
        }
        let blocksAcross = cellsAcross - block + 1, blocksDown = cellsDown - block + 1
        guard blocksAcross > 0, blocksDown > 0 else { return }
        let blockLength = block * block * orientations, blockCount = blocksAcross * blocksDown
        // Four blocks at a time, one per lane: each lane's arithmetic is one block's alone, in the same order, so
        // the four sums' additions overlap where one block's would wait on each other. A last batch of fewer
        // blocks repeats its last block and ignores the repeats.
        var lanes = [SIMD4<Double>](repeating: .zero, count: blockLength)
        histogram.withUnsafeBufferPointer { histogramBuffer in
            let histogram = histogramBuffer.baseAddress!
            var first = 0
            while first < blockCount {
                let batch = min(4, blockCount - first)
                lanes.withUnsafeMutableBufferPointer { laneBuffer in
                    let scalars = UnsafeMutableRawPointer(laneBuffer.baseAddress!).assumingMemoryBound(to: Double.self)
                    for lane in 0..<4 {
                        let index = first + min(lane, batch - 1)
                        let blockRow = index / blocksAcross, blockColumn = index % blocksAcross
                        var value = 0
                        for row in 0..<block {
                            for column in 0..<block {
                                let base = ((blockRow + row) * cellsAcross + blockColumn + column) * orientations
                                for bin in 0..<orientations {
                                    scalars[value * 4 + lane] = histogram[base + bin]
                                    value += 1
                                }
                            }
                        }
                    }
                }
                Self.normalize(&lanes, norm)
                lanes.withUnsafeBufferPointer { laneBuffer in
                    let scalars = UnsafeRawPointer(laneBuffer.baseAddress!).assumingMemoryBound(to: Double.self)
                    for lane in 0..<batch {
                        let blockOut = out + (first + lane) * blockLength
                        for value in 0..<blockLength { blockOut[value] = Float(scalars[value * 4 + lane]) }
                    }
                }
                first += batch
            }
        }
    }

    /// Normalises blocks in place, one per lane of `values` (value `i` of every block at index `i`).
    static func normalize(_ values: inout [SIMD4<Double>], _ norm: BlockNorm) {
        let epsilon = 1e-5
        values.withUnsafeMutableBufferPointer { values in
            // Histograms are never negative, but the norm is that of any values: their magnitudes.
            func l1() -> SIMD4<Double> {
                var total = SIMD4<Double>.zero
                for value in values { total += value.replacing(with: -value, where: value .< 0) }
                return total + epsilon
            }
            func l2() -> SIMD4<Double> {
                var total = SIMD4<Double>.zero
                for value in values { total += value * value }
                return (total + epsilon * epsilon).squareRoot()
            }
            switch norm {
            case .l1:
                let total = l1()
                for index in values.indices { values[index] /= total }
            case .l1Sqrt:
                let total = l1()
                for index in values.indices { values[index] = (values[index] / total).squareRoot() }
            case .l2:
                let length = l2()
                for index in values.indices { values[index] /= length }
            case .l2Hys:
                var length = l2()
                let clip = SIMD4<Double>(repeating: 0.2)
                for index in values.indices { values[index] = pointwiseMin(values[index] / length, clip) }
                length = l2()
                for index in values.indices { values[index] /= length }
            }
        }
    }
}

extension HOG {
    /// What in these settings lies outside what a config accepts, if anything.
    package var settingsProblem: String? {
        Self.cells.contains(cell) && Self.blocks.contains(block) && Self.orientationCounts.contains(orientations)
            ? nil
            : "HOG's cell \(cell), block \(block) or orientations \(orientations) are outside "
                + "\(Self.cells), \(Self.blocks) and \(Self.orientationCounts)"
    }
}
