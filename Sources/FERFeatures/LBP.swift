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
public struct LBP: Sendable, Equatable, Hashable {
    /// Cell side in pixels.
    public var cell: Int

    /// Neighbours and the number of codes.
    static let points = 8
    static let codes = points + 2

    /// An LBP descriptor with histograms over `cell` x `cell` pixel cells.
    public init(cell: Int = 8) {
        self.cell = cell
    }

    /// Length of the descriptor of a `width` x `height` image.
    public func dimension(width: Int, height: Int) -> Int {
        (width / cell) * (height / cell) * Self.codes
    }

    /// Neighbour offsets (row, column), rounded to 5 decimals as scikit-image does.
    static let offsets: [(Double, Double)] = (0..<points).map { index in
        let angle = 2 * Double.pi * Double(index) / Double(points)
        func rounded(_ value: Double) -> Double { (value * 100_000).rounded() / 100_000 }
        return (rounded(-sin(angle)), rounded(cos(angle)))
    }

    /// The uniform code (0-9) of every pixel of an image.
    public static func codes(_ pixels: UnsafePointer<UInt8>, width: Int, height: Int) -> [UInt8] {
        func pixel(_ row: Int, _ column: Int) -> Double {
            row >= 0 && row < height && column >= 0 && column < width ? Double(pixels[row * width + column]) : 0
        }
        // Neighbours on the pixel grid are read directly (interpolation would give the same value);
        // the diagonal ones are interpolated per pixel exactly as scikit-image does.
        let onGrid = offsets.map { $0.0 == $0.0.rounded() && $0.1 == $0.1.rounded() }
        let gridSteps = offsets.map { (Int($0.0), Int($0.1)) }
        var codes = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height {
            for column in 0..<width {
                let centre = Double(pixels[row * width + column])
                var bits: UInt32 = 0
                for index in 0..<points {
                    let value: Double
                    if onGrid[index] {
                        value = pixel(row + gridSteps[index].0, column + gridSteps[index].1)
                    } else {
                        let r = Double(row) + offsets[index].0, c = Double(column) + offsets[index].1
                        let minRow = Int(r.rounded(.down)), minColumn = Int(c.rounded(.down))
                        let maxRow = Int(r.rounded(.up)), maxColumn = Int(c.rounded(.up))
                        let dr = r - Double(minRow), dc = c - Double(minColumn)
                        let top = (1 - dc) * pixel(minRow, minColumn) + dc * pixel(minRow, maxColumn)
                        let bottom = (1 - dc) * pixel(maxRow, minColumn) + dc * pixel(maxRow, maxColumn)
                        value = (1 - dr) * top + dr * bottom
                    }
                    if value - centre >= 0 { bits |= 1 << UInt32(index) }
                }
                // Transitions between consecutive neighbours (not wrapping around, as scikit-image counts them).
                let changes = ((bits ^ (bits >> 1)) & ((1 << UInt32(points - 1)) - 1)).nonzeroBitCount
                codes[row * width + column] = changes <= 2 ? UInt8(bits.nonzeroBitCount) : UInt8(points + 1)
            }
        }
        return codes
    }

    /// Writes the per-cell code histograms (each divided by the cell's area) to `out`.
    public func describe(_ pixels: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<Float>) {
        let codes = Self.codes(pixels, width: width, height: height)
        let cellsAcross = width / cell, cellsDown = height / cell
        let area = Float(cell * cell)
        for index in 0..<dimension(width: width, height: height) { out[index] = 0 }
        for y in 0..<(cellsDown * cell) {
            for x in 0..<(cellsAcross * cell) {
                out[((y / cell) * cellsAcross + x / cell) * Self.codes + Int(codes[y * width + x])] += 1 / area
            }
        }
    }
}
