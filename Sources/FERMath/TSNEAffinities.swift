import FERCore
import Foundation

/// t-SNE's input similarities: for each point a Gaussian over its neighbours
/// whose width is searched until its entropy is the log of the perplexity
/// (scikit-learn's `_binary_search_perplexity`), made symmetric and scaled to
/// sum to one, as a sparse matrix in compressed rows.
package struct TSNEAffinities: Sendable, Equatable {
    /// Where each row's entries start in `columns` and `values`, and the end.
    package var starts: [Int]
    /// The column of each entry.
    package var columns: [Int32]
    /// The joint probability of each entry.
    package var values: [Double]

    /// Points in the matrix.
    package var count: Int { starts.count - 1 }

    /// The joint probabilities over each point's `neighbours` nearest points (every other point when it is
    /// `count - 1`), by squared Euclidean distance in `x`.
    package static func of(_ x: Matrix, perplexity: Double, neighbours: Int) -> TSNEAffinities {
        let n = x.rows
        let nearest =
            neighbours >= n - 1 ? allOthers(x) : NearestNeighbours.of(x, count: neighbours)
        let k = nearest.count
        var conditional = [Double](repeating: 0, count: n * k)
        conditional.withUnsafeMutableBufferPointer { output in
            let shared = SendablePointer(output.baseAddress!)
            ParallelLoop.forEachChunk(count: n, chunks: min(n, 64)) { _, range in
                for row in range {
                    searchWidth(
                        squaredDistances: nearest.squaredDistances[(row * k)..<((row + 1) * k)],
                        perplexity: perplexity, into: shared.pointer + row * k)
                }
            }
        }
        return symmetric(conditional, neighbours: nearest.indices, k: k, count: n)
    }

    /// Every other point of each row as its neighbour, in index order.
    private static func allOthers(_ x: Matrix) -> NearestNeighbours {
        let n = x.rows, k = n - 1, d = x.columns
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            var slot = i * k
            for j in 0..<n where j != i {
                var sum = 0.0
                for c in 0..<d {
                    let difference = Double(x.values[i * d + c]) - Double(x.values[j * d + c])
                    sum += difference * difference
                }
                indices[slot] = Int32(j)
                distances[slot] = sum
                slot += 1
            }
        }
        return NearestNeighbours(count: k, indices: indices, squaredDistances: distances)
    }

    /// Writes one row's conditional probabilities, their Gaussian's precision found by bisection until the
    /// entropy is within 1e-5 of `log(perplexity)` (100 steps at most).
    static func searchWidth(
        squaredDistances: ArraySlice<Double>, perplexity: Double, into row: UnsafeMutablePointer<Double>
    ) {
        let wanted = log(perplexity), k = squaredDistances.count, first = squaredDistances.startIndex
        var beta = 1.0, low = -Double.infinity, high = Double.infinity
        for _ in 0..<100 {
            var sum = 0.0
            for j in 0..<k {
                let p = exp(-squaredDistances[first + j] * beta)
                row[j] = p
                sum += p
            }
            if sum == 0 { sum = 1e-8 }
            var weighted = 0.0
            for j in 0..<k {
                row[j] /= sum
                weighted += squaredDistances[first + j] * row[j]
            }
            let difference = log(sum) + beta * weighted - wanted
            if abs(difference) <= 1e-5 { break }
            if difference > 0 {
                low = beta
                beta = high == .infinity ? beta * 2 : (beta + high) / 2
            } else {
                high = beta
                beta = low == -.infinity ? beta / 2 : (beta + low) / 2
            }
        }
    }

    /// `P + Pᵀ` of the conditional probabilities, scaled to sum to one.
    private static func symmetric(
        _ conditional: [Double], neighbours: [Int32], k: Int, count n: Int
    )
        -> TSNEAffinities
    {
        var entries = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            entries[i + 1] += k
            for slot in (i * k)..<((i + 1) * k) { entries[Int(neighbours[slot]) + 1] += 1 }
        }
        for i in 0..<n { entries[i + 1] += entries[i] }
        var columns = [Int32](repeating: 0, count: entries[n])
        var values = [Double](repeating: 0, count: entries[n])
        var next = Array(entries.dropLast())
        for i in 0..<n {
            for slot in (i * k)..<((i + 1) * k) {
                let j = Int(neighbours[slot]), p = conditional[slot]
                columns[next[i]] = Int32(j)
                values[next[i]] = p
                next[i] += 1
                columns[next[j]] = Int32(i)
                values[next[j]] = p
                next[j] += 1
            }
        }
        // Merge each row's repeated columns (a pair that is a neighbour both ways) and scale.
        var starts = [0], mergedColumns: [Int32] = [], mergedValues: [Double] = []
        mergedColumns.reserveCapacity(columns.count)
        mergedValues.reserveCapacity(columns.count)
        var total = 0.0
        for i in 0..<n {
            let range = entries[i]..<entries[i + 1]
            let order = range.sorted { columns[$0] < columns[$1] }
            for slot in order {
                if mergedColumns.count > starts[i], mergedColumns[mergedColumns.count - 1] == columns[slot] {
                    mergedValues[mergedValues.count - 1] += values[slot]
                } else {
                    mergedColumns.append(columns[slot])
                    mergedValues.append(values[slot])
                }
                total += values[slot]
            }
            starts.append(mergedColumns.count)
        }
        let scale = 1 / max(total, Double.ulpOfOne)
        return TSNEAffinities(starts: starts, columns: mergedColumns, values: mergedValues.map { $0 * scale })
    }
}
