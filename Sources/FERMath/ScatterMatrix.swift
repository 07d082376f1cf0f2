import FERCore

/// What PCA and TruncatedSVD need to know of a set of rows: how many there
/// are, their column sums and the sum of their outer products, all taken
/// about a fixed origin (which keeps the `Float` products well conditioned).
///
/// Scatters of disjoint row sets with the same origin add and subtract, so a
/// reducer can be fitted on the complement of every cross-validation fold
/// from one pass over the data, without copying the rows.
package struct ScatterMatrix: Sendable {
    /// Number of rows.
    package let rows: Int
    /// The point every row is taken relative to.
    package let origin: [Float]
    /// `Σ (x − origin)` over the rows.
    let sums: [Double]
    /// `Σ (x − origin)(x − origin)ᵀ`, `d x d`, row-major, both triangles.
    let products: [Float]

    /// Number of features.
    package var columns: Int { origin.count }

    /// Rows per gathered block: one BLAS rank-k update each.
    private static let blockRows = 512

    /// The scatter of the rows `indices` of `x` about `origin` (one value per column).
    package init(_ x: Matrix, rows indices: [Int], origin: [Float]) {
        precondition(origin.count == x.columns, "the origin must have one value per column")
        let d = x.columns
        var sums = [Double](repeating: 0, count: d)
        var products = [Float](repeating: 0, count: d * d)
        var block = [Float](repeating: 0, count: Self.blockRows * d)
        var start = 0
        while start < indices.count {
            let count = min(Self.blockRows, indices.count - start)
            block.withUnsafeMutableBufferPointer { out in
                x.values.withUnsafeBufferPointer { data in
                    for (slot, row) in indices[start..<(start + count)].enumerated() {
                        for column in 0..<d {
                            let value = data[row * d + column] - origin[column]
                            out[slot * d + column] = value
                            sums[column] += Double(value)
                        }
                    }
                }
                products.withUnsafeMutableBufferPointer { target in
                    LinearAlgebra.rankUpdate(out.baseAddress!, rows: count, columns: d, into: target.baseAddress!)
                }
            }
            start += count
        }
        LinearAlgebra.mirrorUpperTriangle(&products, size: d)
        self.init(rows: indices.count, origin: origin, sums: sums, products: products)
    }

    private init(rows: Int, origin: [Float], sums: [Double], products: [Float]) {
        self.rows = rows
        self.origin = origin
        self.sums = sums
        self.products = products
    }

    /// The scatter of the rows of all `parts` together (disjoint row sets, same origin).
    package static func combining(_ parts: [ScatterMatrix]) -> ScatterMatrix {
        precondition(!parts.isEmpty, "at least one part is needed")
        let first = parts[0], d = first.columns
        var sums = [Double](repeating: 0, count: d)
        var products = [Float](repeating: 0, count: d * d)
        for part in parts {
            precondition(part.origin == first.origin, "parts must share their origin")
            for index in 0..<d { sums[index] += part.sums[index] }
            LinearAlgebra.axpy(1, part.products, into: &products)
        }
        return ScatterMatrix(
            rows: parts.reduce(0) { $0 + $1.rows }, origin: first.origin, sums: sums, products: products)
    }

    /// The scatter of this matrix's rows without those of `part` (a subset, same origin).
    package func removing(_ part: ScatterMatrix) -> ScatterMatrix {
        precondition(part.origin == origin && part.rows <= rows, "part must be a subset with the same origin")
        var remaining = products
        LinearAlgebra.axpy(-1, part.products, into: &remaining)
        return ScatterMatrix(
            rows: rows - part.rows, origin: origin, sums: zip(sums, part.sums).map { $0 - $1 },
            products: remaining)
    }

    /// The rows' mean.
    package var mean: [Double] {
        (0..<columns).map { Double(origin[$0]) + sums[$0] / Double(max(1, rows)) }
    }

    /// The sum of squared distances of the rows from their mean, per column.
    var centredSquares: [Double] {
        let n = Double(max(1, rows))
        return (0..<columns).map { max(0, Double(products[$0 * columns + $0]) - sums[$0] * sums[$0] / n) }
    }

    /// `MᵀM V` for `V` (`d x width`, row-major), where `M` holds the rows
    /// centred on their mean (`centred`) or as they are.
    func normalProduct(_ v: [Double], width: Int, centred: Bool) -> [Double] {
        let d = columns, n = Double(rows)
        let vFloat = v.map(Float.init)
        var product = [Float](repeating: 0, count: d * width)
        products.withUnsafeBufferPointer { p in
            vFloat.withUnsafeBufferPointer { vb in
                product.withUnsafeMutableBufferPointer { out in
                    LinearAlgebra.gemm(
                        p.baseAddress!, transposeA: false, vb.baseAddress!, transposeB: false,
                        into: out.baseAddress!, m: d, n: width, k: d)
                }
            }
        }
        var result = product.map(Double.init)
        // With s = Σ(x − o) and δ = s / n: centred rows give P − n δδᵀ; raw rows P + o sᵀ + s oᵀ + n o oᵀ.
        func addOuter(_ left: [Double], _ right: [Double], scale: Double) {
            for inner in 0..<width {
                var dot = 0.0
                for feature in 0..<d { dot += right[feature] * v[feature * width + inner] }
                for feature in 0..<d { result[feature * width + inner] += scale * left[feature] * dot }
            }
        }
        if centred {
            let delta = sums.map { $0 / max(1, n) }
            addOuter(delta, delta, scale: -n)
        } else {
            let o = origin.map(Double.init)
            addOuter(o, sums, scale: 1)
            addOuter(sums, o, scale: 1)
            addOuter(o, o, scale: n)
        }
        return result
    }

    /// The covariance-style matrix `MᵀM` of the centred rows, in `Double` (for the exact PCA solver).
    func centredProducts() -> [Double] {
        let d = columns, n = Double(max(1, rows))
        var result = products.map(Double.init)
        for i in 0..<d { for j in 0..<d { result[i * d + j] -= sums[i] * sums[j] / n } }
        return result
    }
}
