import FERCore

/// t-distributed stochastic neighbour embedding into the plane (van der
/// Maaten & Hinton 2008), run as scikit-learn's `TSNE` runs it with
/// `init="random"`: similarities calibrated to the perplexity over each
/// point's `3 × perplexity + 1` nearest neighbours (over every other point
/// for the exact method), a seeded start of standard deviation 1e-4, 250
/// iterations with the similarities exaggerated 12 times and momentum 0.5,
/// then momentum 0.8, a learning rate of `max(N / 48, 50)`, and per-coordinate
/// gains. Up to `exactLimit` points the repulsive forces are exact; above it
/// they are approximated by Barnes-Hut (angle 0.5), in O(N log N) per
/// iteration. Points are worked on both cores in fixed chunks, so the result
/// does not depend on the thread count.
package struct TSNE: Sendable, Equatable {
    /// How the repulsive forces are computed.
    package enum Method: String, Sendable, Equatable {
        /// Every pair of points, O(N²) per iteration.
        case exact
        /// A quadtree's cells stand for far points, O(N log N) per iteration.
        case barnesHut = "Barnes-Hut"
    }

    /// The effective number of neighbours each point's similarities spread over.
    package var perplexity: Double
    /// Seed of the random start.
    package var seed: UInt64
    /// Gradient steps in all, the exaggerated ones included.
    package var iterations = 1_000

    /// Points up to which the forces are exact by default.
    package static let exactLimit = 1_000
    /// How much the similarities are exaggerated at first, and for how many steps.
    static let exaggeration = 12.0, exaggeratedSteps = 250
    /// Barnes-Hut's accuracy: a cell stands for its points when its side is below this share of its distance.
    static let angle = 0.5

    /// Creates the embedding's settings.
    package init(perplexity: Double, seed: UInt64, iterations: Int = 1_000) {
        self.perplexity = perplexity
        self.seed = seed
        self.iterations = iterations
    }

    /// The method used by default for `points` points.
    package static func method(points: Int) -> Method {
        points <= exactLimit ? .exact : .barnesHut
    }

    /// The two coordinates of each row of `x`; `progress(done, total)` is told of the steps taken.
    package func embed(
        _ x: Matrix, method: Method? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> Matrix {
        let n = x.rows
        guard n >= 2 else { throw MathError.invalidParameters("t-SNE needs at least 2 points, not \(n)") }
        guard perplexity > 0, perplexity < Double(n) else {
            throw MathError.invalidParameters(
                "t-SNE's perplexity (\(perplexity)) must be above 0 and below \(n), the points")
        }
        let method = method ?? Self.method(points: n)
        let neighbours = method == .exact ? n - 1 : min(n - 1, Int(3 * perplexity + 1))
        let affinities = TSNEAffinities.of(x, perplexity: perplexity, neighbours: neighbours)
        var random = SeededGenerator(seed: seed, stream: 0x7473_6E65)
        var positions = (0..<(2 * n)).map { _ in random.normal() * 1e-4 }
        var update = [Double](repeating: 0, count: 2 * n), gains = [Double](repeating: 1, count: 2 * n)
        let rate = max(Double(n) / Self.exaggeration / 4, 50)
        for step in 0..<iterations {
            let exaggerated = step < Self.exaggeratedSteps
            let gradient = Self.gradient(
                positions, affinities: affinities, exaggeration: exaggerated ? Self.exaggeration : 1, method: method)
            let momentum = exaggerated ? 0.5 : 0.8
            for c in 0..<(2 * n) {
                gains[c] = update[c] * gradient[c] < 0 ? gains[c] + 0.2 : max(gains[c] * 0.8, 0.01)
                update[c] = momentum * update[c] - rate * gains[c] * gradient[c]
                positions[c] += update[c]
            }
            if step % 25 == 24 || step == iterations - 1 { progress?(step + 1, iterations) }
        }
        return Matrix(rows: n, columns: 2, values: positions.map { Float($0) })
    }

    /// The gradient of the Kullback-Leibler divergence at `positions`, its attraction scaled by `exaggeration`.
    static func gradient(
        _ positions: [Double], affinities: TSNEAffinities, exaggeration: Double, method: Method
    ) -> [Double] {
        let n = positions.count / 2, chunks = min(n, 64)
        var attraction = [Double](repeating: 0, count: 2 * n), repulsion = [Double](repeating: 0, count: 2 * n)
        var normaliser = 0.0
        positions.withUnsafeBufferPointer { positionBuffer in
            let y = SendableConstPointer(positionBuffer.baseAddress!)
            attraction.withUnsafeMutableBufferPointer { buffer in
                let output = SendablePointer(buffer.baseAddress!)
                ParallelLoop.forEachChunk(count: n, chunks: chunks) { _, range in
                    for i in range {
                        var forceX = 0.0, forceY = 0.0
                        let x0 = y.pointer[2 * i], y0 = y.pointer[2 * i + 1]
                        for entry in affinities.starts[i]..<affinities.starts[i + 1] {
                            let j = Int(affinities.columns[entry])
                            let dx = x0 - y.pointer[2 * j], dy = y0 - y.pointer[2 * j + 1]
                            let weight = affinities.values[entry] / (1 + dx * dx + dy * dy)
                            forceX += weight * dx
                            forceY += weight * dy
                        }
                        output.pointer[2 * i] = forceX
                        output.pointer[2 * i + 1] = forceY
                    }
                }
            }
            repulsion.withUnsafeMutableBufferPointer { buffer in
                let output = SendablePointer(buffer.baseAddress!)
                let sums: [Double]
                switch method {
                case .exact:
                    sums = ParallelLoop.mapChunks(count: n, chunks: chunks) { _, range in
                        var sum = 0.0
                        for i in range {
                            var forceX = 0.0, forceY = 0.0
                            let x0 = y.pointer[2 * i], y0 = y.pointer[2 * i + 1]
                            for j in 0..<n where j != i {
                                let dx = x0 - y.pointer[2 * j], dy = y0 - y.pointer[2 * j + 1]
                                let q = 1 / (1 + dx * dx + dy * dy)
                                sum += q
                                forceX += q * q * dx
                                forceY += q * q * dy
                            }
                            output.pointer[2 * i] = forceX
                            output.pointer[2 * i + 1] = forceY
                        }
                        return sum
                    }
                case .barnesHut:
                    let tree = BarnesHutTree(positions: positionBuffer)
                    sums = ParallelLoop.mapChunks(count: n, chunks: chunks) { _, range in
                        var sum = 0.0
                        for slot in range {
                            let point = tree.order[slot]
                            let force = tree.repulsion(of: point, positions: y.pointer, angle: angle)
                            output.pointer[2 * Int(point)] = force.x
                            output.pointer[2 * Int(point) + 1] = force.y
                            sum += force.sum
                        }
                        return sum
                    }
                }
                normaliser = sums.reduce(0, +)
            }
        }
        let scale = 1 / max(normaliser, Double.leastNormalMagnitude)
        return (0..<(2 * n)).map { 4 * (exaggeration * attraction[$0] - repulsion[$0] * scale) }
    }
}
