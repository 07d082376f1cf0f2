import FERCore
import Foundation

/// A mixture of Gaussians fitted by expectation-maximisation, as
/// scikit-learn's `GaussianMixture` with `init_params="k-means++"`: each
/// start puts one component on each of `components` rows chosen by k-means++
/// seeding (with a covariance of `regularization` alone), then alternates the
/// E and M steps until the mean log-likelihood gains less than `tolerance`;
/// of `restarts` starts the one with the highest final bound is kept, and a
/// last E step gives the labels. `regularization` is added to every
/// covariance's diagonal, so a component that collapses onto a few rows
/// stays invertible.
///
/// Results depend only on the data and the seed: each start draws from its
/// own random stream, and starts run in parallel but are compared in order.
package struct GaussianMixture: Sendable, Hashable, Codable {
    /// The shape of each component's covariance.
    package enum Covariance: String, Sendable, Hashable, Codable, CaseIterable {
        /// A full `d x d` covariance per component.
        case full
        /// A diagonal covariance per component: features independent within a component.
        case diag
    }

    /// Number of components (clusters).
    package var components: Int
    /// Each component's covariance shape.
    package var covariance: Covariance
    /// Independent starts from different seeds; the highest bound wins (`n_init`).
    package var restarts: Int
    /// EM iterations per start at most.
    package var maxIterations: Int
    /// Convergence: the gain in mean log-likelihood per row below which EM stops.
    package var tolerance: Double
    /// Added to each covariance's diagonal (`reg_covar`).
    package var regularization: Double
    /// Seed of the whole fit.
    package var seed: UInt64

    /// Configures a mixture; the defaults are scikit-learn's.
    package init(
        components: Int, covariance: Covariance = .full, restarts: Int = 1, maxIterations: Int = 100,
        tolerance: Double = 1e-3, regularization: Double = 1e-6, seed: UInt64 = 0
    ) {
        self.components = components
        self.covariance = covariance
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.regularization = regularization
        self.seed = seed
    }

    /// Fits the mixture to the rows of `x`.
    /// - Throws: `MathError.invalidParameters` for fewer rows than components or settings that cannot work;
    ///   `MathError.decompositionFailed` when a covariance is not positive definite even with the regularisation.
    package func fit(_ x: Matrix) throws -> FittedGaussianMixture {
        let (n, k) = (x.rows, components)
        guard k >= 1, k <= n else {
            throw MathError.invalidParameters("a Gaussian mixture needs 1 to \(n) components for \(n) rows, not \(k)")
        }
        guard restarts >= 1, maxIterations >= 1, tolerance >= 0, regularization >= 0 else {
            throw MathError.invalidParameters(
                "a Gaussian mixture needs at least one start and one iteration, and no negative tolerance")
        }
        let points = MixturePoints(x)
        let engine = KMeansEngine(x)
        let settings = self
        let starts = ParallelLoop.mapChunks(count: restarts, chunks: restarts) { start, _ in
            Result { () throws -> FittedGaussianMixture in
                var random = SeededGenerator(seed: settings.seed, stream: UInt64(start))
                let chosen = engine.plusPlusCentres(k, random: &random).map(Double.init)
                return try settings.run(on: points, from: chosen)
            }
        }
        // Highest bound; the earliest start on ties.
        var best = try starts[0].get()
        for start in starts.dropFirst() {
            let fitted = try start.get()
            if fitted.lowerBound > best.lowerBound { best = fitted }
        }
        return best
    }

    /// One start: components on the rows `chosen` (`k x d`), then EM.
    private func run(on points: MixturePoints, from chosen: [Double]) throws -> FittedGaussianMixture {
        let (k, d) = (components, points.columns)
        let initialCovariance: [Double] =
            switch covariance {
            case .full:
                (0..<k).flatMap { _ in (0..<(d * d)).map { $0 % (d + 1) == 0 ? regularization : 0 } }
            case .diag:
                [Double](repeating: regularization, count: k * d)
            }
        var model = try FittedGaussianMixture(
            covariance: covariance, weights: [Double](repeating: 1 / Double(k), count: k), means: chosen,
            covariances: initialCovariance, dimension: d)
        var bound = -Double.infinity
        for iteration in 1...maxIterations {
            let previous = bound
            let (meanLogLikelihood, responsibilities) = model.expectation(points)
            model = try maximisation(points, responsibilities: responsibilities)
            bound = meanLogLikelihood
            model.iterations = iteration
            if abs(bound - previous) < tolerance {
                model.converged = true
                break
            }
        }
        model.lowerBound = bound
        return model
    }

    /// The M step: each component's weight, mean and covariance from the rows' responsibilities (`n x k`).
    private func maximisation(_ points: MixturePoints, responsibilities: [Double]) throws -> FittedGaussianMixture {
        let (n, d, k) = (points.rows, points.columns, components)
        // Each component's total responsibility, kept off zero as scikit-learn does (10 machine epsilons).
        var totals = [Double](repeating: 10 * Double.ulpOfOne, count: k)
        for row in 0..<n { for c in 0..<k { totals[c] += responsibilities[row * k + c] } }
        var means = [Double](repeating: 0, count: k * d)
        LinearAlgebra.gemm(
            responsibilities, transposeA: true, points.values, transposeB: false, into: &means, m: k, n: d, k: n)
        for c in 0..<k { for j in 0..<d { means[c * d + j] /= totals[c] } }
        let covariances: [Double]
        switch covariance {
        case .full:
            let (allMeans, allTotals) = (means, totals)
            let blocks = ParallelLoop.mapChunks(count: k, chunks: k) { c, _ in
                componentCovariance(
                    points, responsibilities: responsibilities, component: c, means: allMeans, total: allTotals[c])
            }
            covariances = blocks.flatMap { $0 }
        case .diag:
            var squares = [Double](repeating: 0, count: k * d)
            let squared = points.values.map { $0 * $0 }
            LinearAlgebra.gemm(
                responsibilities, transposeA: true, squared, transposeB: false, into: &squares, m: k, n: d, k: n)
            covariances = (0..<(k * d)).map { index in
                let mean = means[index]
                return squares[index] / totals[index / d] - mean * mean + regularization
            }
        }
        return try FittedGaussianMixture(
            covariance: covariance, weights: totals.map { $0 / Double(n) }, means: means, covariances: covariances,
            dimension: d)
    }
}

extension GaussianMixture {
    /// Component `c`'s full covariance (`d x d`, row-major): its responsibility-weighted scatter about its mean
    /// (`means` holds every component's), over its total responsibility, plus the regularisation on the diagonal.
    fileprivate func componentCovariance(
        _ points: MixturePoints, responsibilities: [Double], component c: Int, means: [Double], total: Double
    ) -> [Double] {
        let (n, d, k) = (points.rows, points.columns, components)
        var centred = [Double](repeating: 0, count: n * d)
        var weighted = [Double](repeating: 0, count: n * d)
        for row in 0..<n {
            let r = responsibilities[row * k + c]
            for j in 0..<d {
                let value = points.values[row * d + j] - means[c * d + j]
                centred[row * d + j] = value
                weighted[row * d + j] = r * value
            }
        }
        var block = [Double](repeating: 0, count: d * d)
        LinearAlgebra.gemm(weighted, transposeA: true, centred, transposeB: false, into: &block, m: d, n: d, k: n)
        for j in 0..<(d * d) { block[j] /= total }
        for j in 0..<d { block[j * (d + 1)] += regularization }
        return block
    }
}

/// The rows a mixture is fitted to, in `Double` as the EM sums need.
struct MixturePoints {
    let rows: Int
    let columns: Int
    /// Row-major `rows x columns`.
    let values: [Double]

    init(_ x: Matrix) {
        rows = x.rows
        columns = x.columns
        values = x.values.map(Double.init)
    }
}

/// A fitted Gaussian mixture: each component's weight, mean and the
/// Cholesky factor of its precision, which give every row's probability of
/// belonging to each component.
package struct FittedGaussianMixture: Sendable, Equatable, Codable {
    /// Each component's covariance shape.
    package let covariance: GaussianMixture.Covariance
    /// Mixing weights, one per component, summing to 1.
    package let weights: [Double]
    /// Component means, row-major `components x dimension`.
    package let means: [Double]
    /// The precision's Cholesky factor per component: `dimension x dimension` upper-triangular blocks (`full`),
    /// or `dimension` values (`diag`, one over each standard deviation).
    package let precisionCholesky: [Double]
    /// Features per row.
    package let dimension: Int
    /// The mean log-likelihood per row of the fitted rows at the last E step.
    package internal(set) var lowerBound: Double = -.infinity
    /// EM iterations of the kept start.
    package internal(set) var iterations = 0
    /// Whether EM stopped by `tolerance` before its iteration limit.
    package internal(set) var converged = false

    /// Number of components.
    package var components: Int { weights.count }

    /// A mixture from its weights, means and covariances (`full`: `k` row-major `d x d` blocks; `diag`: `k x d`).
    /// - Throws: `MathError.decompositionFailed` when a covariance is not positive definite.
    init(
        covariance: GaussianMixture.Covariance, weights: [Double], means: [Double], covariances: [Double],
        dimension d: Int
    ) throws {
        self.covariance = covariance
        self.weights = weights
        self.means = means
        self.dimension = d
        switch covariance {
        case .full:
            var factors = [Double](repeating: 0, count: covariances.count)
            for c in 0..<weights.count {
                // Σ = L Lᵀ, so Σ⁻¹ = L⁻ᵀ L⁻¹ and the precision's factor is L⁻ᵀ (upper-triangular).
                let lower = try LinearAlgebra.cholesky(Array(covariances[(c * d * d)..<((c + 1) * d * d)]), size: d)
                let inverse = Self.invertLower(lower, size: d)
                for i in 0..<d { for j in 0..<d { factors[c * d * d + i * d + j] = inverse[j * d + i] } }
            }
            precisionCholesky = factors
        case .diag:
            guard covariances.allSatisfy({ $0 > 0 }) else {
                throw MathError.decompositionFailed("a diagonal covariance with a variance of 0 or less")
            }
            precisionCholesky = covariances.map { 1 / $0.squareRoot() }
        }
    }

    /// The inverse of a lower-triangular `d x d` matrix, by forward substitution.
    private static func invertLower(_ lower: [Double], size d: Int) -> [Double] {
        var inverse = [Double](repeating: 0, count: d * d)
        for column in 0..<d {
            for row in column..<d {
                var sum = row == column ? 1.0 : 0.0
                for m in column..<row { sum -= lower[row * d + m] * inverse[m * d + column] }
                inverse[row * d + column] = sum / lower[row * d + row]
            }
        }
        return inverse
    }

    /// Each row's log of weight times density per component, row-major `n x k`; the components on all cores.
    func weightedLogDensities(_ points: MixturePoints) -> [Double] {
        let (n, k) = (points.rows, components)
        let columns = ParallelLoop.mapChunks(count: k, chunks: k) { c, _ in weightedLogDensities(points, component: c) }
        var result = [Double](repeating: 0, count: n * k)
        for (c, column) in columns.enumerated() {
            for row in 0..<n { result[row * k + c] = column[row] }
        }
        return result
    }

    /// Each row's log of weight times density for component `c`.
    private func weightedLogDensities(_ points: MixturePoints, component c: Int) -> [Double] {
        let (n, d) = (points.rows, dimension)
        let mean = means[(c * d)..<((c + 1) * d)]
        var squaredDistances = [Double](repeating: 0, count: n)
        var logDeterminant = 0.0
        switch covariance {
        case .full:
            let factor = Array(precisionCholesky[(c * d * d)..<((c + 1) * d * d)])
            for i in 0..<d { logDeterminant += log(factor[i * d + i]) }
            // y = (x - μ) P for each row; its squared length is the Mahalanobis distance.
            var centred = [Double](repeating: 0, count: n * d)
            for row in 0..<n {
                for j in 0..<d { centred[row * d + j] = points.values[row * d + j] - mean[mean.startIndex + j] }
            }
            var projected = [Double](repeating: 0, count: n * d)
            LinearAlgebra.gemm(
                centred, transposeA: false, factor, transposeB: false, into: &projected, m: n, n: d, k: d)
            for row in 0..<n {
                var sum = 0.0
                for j in 0..<d { sum += projected[row * d + j] * projected[row * d + j] }
                squaredDistances[row] = sum
            }
        case .diag:
            let factor = precisionCholesky[(c * d)..<((c + 1) * d)]
            for j in 0..<d { logDeterminant += log(factor[factor.startIndex + j]) }
            for row in 0..<n {
                var sum = 0.0
                for j in 0..<d {
                    let y = (points.values[row * d + j] - mean[mean.startIndex + j]) * factor[factor.startIndex + j]
                    sum += y * y
                }
                squaredDistances[row] = sum
            }
        }
        let constant = Double(d) * log(2 * Double.pi)
        let logWeight = log(weights[c])
        return squaredDistances.map { -0.5 * (constant + $0) + logDeterminant + logWeight }
    }

    /// The E step: the mean log-likelihood per row, and each row's responsibilities (`n x k`, rows summing to 1).
    func expectation(_ points: MixturePoints) -> (meanLogLikelihood: Double, responsibilities: [Double]) {
        let (n, k) = (points.rows, components)
        var weighted = weightedLogDensities(points)
        var total = 0.0
        weighted.withUnsafeMutableBufferPointer { values in
            for row in 0..<n {
                let start = row * k
                var top = -Double.infinity
                for c in 0..<k { top = max(top, values[start + c]) }
                var sum = 0.0
                for c in 0..<k { sum += exp(values[start + c] - top) }
                let norm = top + log(sum)
                total += norm
                for c in 0..<k { values[start + c] = exp(values[start + c] - norm) }
            }
        }
        return (total / Double(max(1, n)), weighted)
    }

    /// Each row's probability of belonging to each component, row-major `n x k`.
    package func probabilities(_ x: Matrix) -> [Double] {
        expectation(MixturePoints(x)).responsibilities
    }

    /// Each row's most probable component.
    package func predict(_ x: Matrix) -> [Int32] {
        let k = components
        let probabilities = probabilities(x)
        return (0..<x.rows).map { row in
            let slice = probabilities[(row * k)..<((row + 1) * k)]
            return Int32(slice.indices.max { slice[$0] < slice[$1] }.map { $0 - row * k } ?? 0)
        }
    }

    /// The mean log-likelihood per row of `x` (scikit-learn's `score`).
    package func score(_ x: Matrix) -> Double {
        expectation(MixturePoints(x)).meanLogLikelihood
    }

    /// The number of free parameters: weights, means and covariances.
    package var parameterCount: Int {
        let (k, d) = (components, dimension)
        let covariances = covariance == .full ? k * d * (d + 1) / 2 : k * d
        return covariances + k * d + k - 1
    }

    /// Whether the arrays fit `components` components of `dimension` features, and every value is a finite
    /// number with positive weights: what a mixture read from a file must be before use.
    package func isConsistent(components k: Int, dimension d: Int) -> Bool {
        let factor = covariance == .full ? d * d : d
        return components == k && dimension == d && means.count == k * d && precisionCholesky.count == k * factor
            && weights.allSatisfy { $0 > 0 && $0.isFinite } && (means + precisionCholesky).allSatisfy(\.isFinite)
    }

    /// The Bayesian information criterion on `x`: lower is better.
    package func bic(_ x: Matrix) -> Double {
        -2 * score(x) * Double(x.rows) + Double(parameterCount) * log(Double(x.rows))
    }
}
