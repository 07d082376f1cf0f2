import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local binary patterns (Ojala et al. 2002) with 8 neighbours at radius 1,
/// "uniform" codes as scikit-image's `local_binary_pattern(image, 8, 1,
/// "uniform")` computes them, summarised as one histogram of the 10 codes per
/// cell of a grid. Each code says which of the pixel's neighbours are at least
/// as bright as it, so the descriptor follows local texture (wrinkles, teeth,
/// lids) and ignores overall brightness.
package struct LBP: Sendable, Hashable, Codable {
    /// The cell sides FERLab accepts.
    package static let cells = 2...64

    /// Cell side in pixels.
    package var cell: Int

    /// Neighbours and the number of codes.
    static let points = 8
    static let codes = points + 2

    /// An LBP descriptor with histograms over `cell` x `cell` pixel cells.
    package init(cell: Int = 8) {
        self.cell = cell
    }

    /// Length of the descriptor of a `width` x `height` image.
    package func dimension(width: Int, height: Int) -> Int {
        (width / cell) * (height / cell) * Self.codes
    }

    /// Neighbour offsets (row, column), rounded to 5 decimals as scikit-image does.
    static let offsets: [(Double, Double)] = (0..<points).map { index in
        let angle = 2 * Double.pi * Double(index) / Double(points)
        func rounded(_ value: Double) -> Double { (value * 100_000).rounded() / 100_000 }
        return (rounded(-sin(angle)), rounded(cos(angle)))
    }

    /// Where each neighbour is read for every row and column of a `width` x
    /// `height` image, worked out once per batch of images of that size.
    package struct Neighbours: Sendable {
        fileprivate let rows: [Axis], columns: [Axis]

        /// The tables for images of `width` x `height` pixels.
        package init(width: Int, height: Int) {
            rows = LBP.offsets.map { Axis(count: height, offset: $0.0) }
            columns = LBP.offsets.map { Axis(count: width, offset: $0.1) }
        }
    }

    /// The uniform code (0-9) of every pixel of an image; `neighbours` are the tables for its size.
    package static func codes(
        _ pixels: UnsafePointer<UInt8>, width: Int, height: Int, neighbours: Neighbours? = nil
    ) -> [UInt8] {
        // The image with a border of zeros (scikit-image reads outside pixels as 0), so no read needs a bounds check.
        let stride = width + 2
        var padded = [Double](repeating: 0, count: stride * (height + 2))
        padded.withUnsafeMutableBufferPointer { paddedImage in
            for row in 0..<height {
                let target = paddedImage.baseAddress! + (row + 1) * stride + 1, source = pixels + row * width
                for column in 0..<width { target[column] = Double(source[column]) }
            }
        }
        let tables = neighbours ?? Neighbours(width: width, height: height)
        let (rows, columns) = (tables.rows, tables.columns)
        // Bit `index` of a pixel's pattern: neighbour `index` is at least as bright as the pixel.
        var patterns = [UInt8](repeating: 0, count: width * height)
        padded.withUnsafeBufferPointer { paddedImage in
            patterns.withUnsafeMutableBufferPointer { patternBuffer in
                let image = paddedImage.baseAddress!, pattern = patternBuffer.baseAddress!
                for index in 0..<points {
                    let bit = UInt8(1 << index), across = columns[index]
                    let onGrid = rows[index].onGrid && across.onGrid
                    for row in 0..<height {
                        let below = image + rows[index].low[row] * stride,
                            above = image + rows[index].high[row] * stride
                        let dr = rows[index].weight[row]
                        let centres = image + (row + 1) * stride + 1, out = pattern + row * width
                        var column = 0
                        if let shift = across.shift {
                            // Eight columns at a time: the same operations in the same order, lane by lane.
                            let (lowShift, highShift) = shift
                            while column + 8 <= width {
                                func load(_ source: UnsafePointer<Double>) -> SIMD8<Double> {
                                    UnsafeRawPointer(source + column).loadUnaligned(as: SIMD8<Double>.self)
                                }
                                let value: SIMD8<Double>
                                if onGrid {
                                    value = load(below + lowShift)
                                } else {
                                    let dc = across.weight.withUnsafeBufferPointer { load($0.baseAddress!) }
                                    let top = (1 - dc) * load(below + lowShift) + dc * load(below + highShift)
                                    let bottom = (1 - dc) * load(above + lowShift) + dc * load(above + highShift)
                                    value = (1 - dr) * top + dr * bottom
                                }
                                let brighter = SIMD8<Int64>(repeating: 0).replacing(
                                    with: -1, where: value - load(centres) .>= 0)
                                let target = UnsafeMutableRawPointer(out + column)
                                target.storeBytes(
                                    of: target.loadUnaligned(as: SIMD8<UInt8>.self)
                                        | (SIMD8(truncatingIfNeeded: brighter) & SIMD8(repeating: bit)),
                                    as: SIMD8<UInt8>.self)
                                column += 8
                            }
                        }
                        while column < width {
                            let left = across.low[column]
                            let value: Double
                            if onGrid {
                                // On the pixel grid the neighbour is read directly (interpolation gives the same value).
                                value = below[left]
                            } else {
                                let right = across.high[column], dc = across.weight[column]
                                let top = (1 - dc) * below[left] + dc * below[right]
                                let bottom = (1 - dc) * above[left] + dc * above[right]
                                value = (1 - dr) * top + dr * bottom
                            }
                            if value - centres[column] >= 0 { out[column] |= bit }
                            column += 1
                        }
                    }
                }
            }
        }
        return [UInt8](count: patterns.count) { codes in
            patterns.withUnsafeBufferPointer { pattern in
                uniformCode.withUnsafeBufferPointer { uniform in
                    for index in 0..<pattern.count { codes[index] = uniform[Int(pattern[index])] }
                }
            }
        }
    }

    /// The uniform code of each 8-bit pattern: the number of brighter neighbours when the pattern has at most two
    /// transitions between consecutive neighbours (not wrapping around, as scikit-image counts them), else 9.
    private static let uniformCode: [UInt8] = (0..<256).map { (bits: Int) -> UInt8 in
        let changes = ((bits ^ (bits >> 1)) & ((1 << (points - 1)) - 1)).nonzeroBitCount
        return changes <= 2 ? UInt8(bits.nonzeroBitCount) : UInt8(points + 1)
    }

    /// Where one neighbour is read along one axis, for each row (or column):
    /// the padded-image positions below and above and the weight of the upper
    /// one, with scikit-image's arithmetic (`r = row + offset`,
    /// `dr = r - floor(r)`), so interpolated values match it bit for bit.
    fileprivate struct Axis: Sendable {
        let low: [Int], high: [Int], weight: [Double]
        /// The neighbour lies on whole pixels along this axis.
        let onGrid: Bool
        /// When `low` and `high` are the position plus a constant (as for every offset below one pixel), those
        /// constants, so eight positions are read as one vector.
        let shift: (low: Int, high: Int)?

        init(count: Int, offset: Double) {
            let positions = (0..<count).map { Double($0) + offset }
            low = positions.map { Int($0.rounded(.down)) + 1 }
            high = positions.map { Int($0.rounded(.up)) + 1 }
            weight = positions.map { $0 - $0.rounded(.down) }
            onGrid = offset == offset.rounded()
            let (low, high) = (self.low, self.high)
            shift =
                (0..<count).allSatisfy { low[$0] - $0 == low[0] && high[$0] - $0 == high[0] } && count > 0
                ? (low[0], high[0]) : nil
        }
    }

    /// Writes the per-cell code histograms (each divided by the cell's area) to `out`.
    /// `neighbours` are the tables for the image's size (worked out here when not given).
    package func describe(
        _ pixels: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<Float>,
        neighbours: Neighbours? = nil
    ) {
        let codes = Self.codes(pixels, width: width, height: height, neighbours: neighbours)
        let cellsAcross = width / cell, cellsDown = height / cell
        // Each bin is a count of equal shares (1 / area) added one at a time: count them, then read each count's
        // float sum from a table of the same additions.
        var counts = [Int](repeating: 0, count: dimension(width: width, height: height))
        counts.withUnsafeMutableBufferPointer { countBuffer in
            codes.withUnsafeBufferPointer { codeBuffer in
                let count = countBuffer.baseAddress!, code = codeBuffer.baseAddress!
                for y in 0..<(cellsDown * cell) {
                    let rowCells = count + (y / cell) * cellsAcross * Self.codes, line = code + y * width
                    for cellColumn in 0..<cellsAcross {
                        let cellBins = rowCells + cellColumn * Self.codes
                        for x in (cellColumn * cell)..<((cellColumn + 1) * cell) { cellBins[Int(line[x])] &+= 1 }
                    }
                }
            }
        }
        let sums = Self.repeatedSums(of: 1 / Float(cell * cell), upTo: cell * cell)
        for (index, count) in counts.enumerated() { out[index] = sums[count] }
    }

    /// `sums[k]`: `share` added to zero `k` times, one addition at a time, for `k` up to `count`.
    private static func repeatedSums(of share: Float, upTo count: Int) -> [Float] {
        var sums: [Float] = [0]
        sums.reserveCapacity(count + 1)
        for _ in 0..<count { sums.append(sums[sums.count - 1] + share) }
        return sums
    }
}

extension LBP {
    /// What in these settings lies outside what a config accepts, if anything.
    package var settingsProblem: String? {
        Self.cells.contains(cell) ? nil : "LBP's cell \(cell) is outside \(Self.cells)"
    }
}
