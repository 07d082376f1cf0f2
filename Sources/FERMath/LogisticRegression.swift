import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multinomial logistic regression with an L2 penalty, as scikit-learn's
/// `LogisticRegression` (lbfgs solver): it minimises the summed cross-entropy
/// of the softmax plus `‖W‖² / (2C)` (intercepts are not penalised), with
/// L-BFGS in `Double`.
package struct LogisticRegression: Sendable, Hashable, Codable {
    /// Inverse strength of the penalty.
    package var c: Double
    /// Iteration limit.
    package var maxIterations: Int
    /// Stop when every gradient component is at most this (relative to the
    /// objective's scale).
    package var tolerance: Double

    /// Configures a fit; the defaults are scikit-learn's (C = 1).
    package init(c: Double = 1, maxIterations: Int = 1000, tolerance: Double = 1e-8) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Fits rows of `x` to `labels` (codes `0..<classes`).
    package func fit(_ x: Matrix, labels: [Int32], classes: Int) throws -> LogisticModel {
        guard x.rows == labels.count, x.rows > 0, classes >= 2, labels.allSatisfy({ $0 >= 0 && Int($0) < classes })
        else {
            throw MathError.invalidParameters("logistic regression needs one label in 0..<\(classes) per row")
        }
        let d = x.columns
        let data = x.values.map(Double.init)
        let problem = Objective(data: data, rows: x.rows, features: d, labels: labels, classes: classes, c: c)
        var parameters = [Double](repeating: 0, count: classes * (d + 1))
        try LBFGS.minimize(&parameters, maxIterations: maxIterations, tolerance: tolerance * Double(x.rows)) {
            problem.valueAndGradient($0)
        }
        return LogisticModel(classes: classes, features: d, parameters: parameters)
    }

    /// The objective and its gradient for parameters laid out `[class][feature..., intercept]`.
    struct Objective: Sendable {
        let data: [Double]
        let rows: Int, features: Int
        let labels: [Int32]
        let classes: Int
        let c: Double

        /// Rows above which the rows' sums are made in fixed chunks on every core, added in chunk order (so
        /// the same for any number of cores); up to it, in one pass, row after row.
        var chunkedRows = 50_000
        /// Rows per chunk of a chunked pass.
        static let chunkRows = 16_384

        func valueAndGradient(_ parameters: [Double]) -> (Double, [Double]) {
            var (value, gradient): (Double, [Double])
            if rows > chunkedRows {
                let parts = ParallelLoop.mapChunks(count: rows, chunks: rows / Self.chunkRows) { _, range in
                    sums(parameters, rows: range)
                }
                (value, gradient) = parts[0]
                for part in parts.dropFirst() {
                    value += part.value
                    for index in gradient.indices { gradient[index] += part.gradient[index] }
                }
            } else {
                (value, gradient) = sums(parameters, rows: 0..<rows)
            }
            let stride = features + 1
            for k in 0..<classes {
                for j in 0..<features {
                    let weight = parameters[k * stride + j]
                    value += weight * weight / (2 * c)
                    gradient[k * stride + j] += weight / c
                }
            }
            return (value, gradient)
        }

        /// The cross-entropy of `rows` and its gradient, without the penalty.
        private func sums(_ parameters: [Double], rows: Range<Int>) -> (value: Double, gradient: [Double]) {
            let stride = features + 1
            var gradient = [Double](repeating: 0, count: parameters.count)
            var value = 0.0
            var scores = [Double](repeating: 0, count: classes)
            for row in rows {
                let base = row * features
                var largest = -Double.infinity
                for k in 0..<classes {
                    var score = parameters[k * stride + features]
                    for j in 0..<features { score += parameters[k * stride + j] * data[base + j] }
                    scores[k] = score
                    largest = max(largest, score)
                }
                var total = 0.0
                for k in 0..<classes {
                    scores[k] = exp(scores[k] - largest)
                    total += scores[k]
                }
                let truth = Int(labels[row])
                value += log(total) + largest - (log(scores[truth]) + largest)
                for k in 0..<classes {
                    let residual = scores[k] / total - (k == truth ? 1 : 0)
                    for j in 0..<features { gradient[k * stride + j] += residual * data[base + j] }
                    gradient[k * stride + features] += residual
                }
            }
            return (value, gradient)
        }
    }
}

/// A fitted multinomial logistic regression.
package struct LogisticModel: Sendable, Equatable, Codable {
    /// Number of classes.
    package let classes: Int
    /// Number of features.
    package let features: Int
    /// `[class][feature..., intercept]`.
    let parameters: [Double]

    private enum CodingKeys: String, CodingKey { case classes, features, parameters }

    /// Decodes a model, refusing one whose parameters do not match its classes and features.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classes = try container.decode(Int.self, forKey: .classes)
        features = try container.decode(Int.self, forKey: .features)
        parameters = try container.decode([Double].self, forKey: .parameters)
        let (perClass, overflow) = features.addingReportingOverflow(1)
        guard classes >= 1, features >= 0, !overflow,
            classes.multipliedReportingOverflow(by: perClass) == (parameters.count, false)
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .parameters, in: container,
                debugDescription: "\(parameters.count) parameters for \(classes) classes of \(features) features")
        }
    }

    init(classes: Int, features: Int, parameters: [Double]) {
        self.classes = classes
        self.features = features
        self.parameters = parameters
    }

    /// The largest magnitude among its weights and intercepts (infinite when one is not finite).
    package var largestParameter: Double {
        parameters.reduce(0) { $1.isFinite ? max($0, abs($1)) : .infinity }
    }

    /// The weight of `feature` for `label`.
    package func weight(label: Int, feature: Int) -> Double { parameters[label * (features + 1) + feature] }

    /// The intercept of `label`.
    package func intercept(label: Int) -> Double { parameters[label * (features + 1) + features] }

    /// Class probabilities of each row of `x`: the softmax of its scores divided by `temperature`.
    package func probabilities(_ x: Matrix, temperature: Double = 1) -> [[Double]] {
        scores(x).map { Calibration.probabilities($0, temperature: temperature) }
    }

    /// The linear score of every class for each row of `x`: what the softmax turns into probabilities.
    package func scores(_ x: Matrix) -> [[Double]] {
        (0..<x.rows).map { row in
            (0..<classes).map { label in
                (0..<features).reduce(intercept(label: label)) {
                    $0 + weight(label: label, feature: $1) * Double(x[row, $1])
                }
            }
        }
    }

    /// The most probable class of each row of `x` (the lowest on ties).
    package func predict(_ x: Matrix) -> [Int32] {
        probabilities(x).map { probabilities in
            var best = 0
            for label in 1..<probabilities.count where probabilities[label] > probabilities[best] { best = label }
            return Int32(best)
        }
    }
}

/// Limited-memory BFGS (Nocedal 1980) with a backtracking Armijo line search.
enum LBFGS {
    static func minimize(
        _ x: inout [Double], maxIterations: Int, tolerance: Double, memory: Int = 10,
        objective: ([Double]) -> (Double, [Double])
    ) throws {
        var (value, gradient) = objective(x)
        var steps: [[Double]] = [], changes: [[Double]] = [], curvatures: [Double] = []
        for _ in 0..<maxIterations {
            if gradient.map(abs).max() ?? 0 <= tolerance { return }
            // Two-loop recursion: direction = -H·gradient.
            var direction = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for index in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[index] = curvatures[index] * dot(steps[index], direction)
                axpy(-alphas[index], changes[index], &direction)
            }
            if let lastStep = steps.last, let lastChange = changes.last {
                let scale = dot(lastStep, lastChange) / max(dot(lastChange, lastChange), 1e-300)
                for index in direction.indices { direction[index] *= scale }
            }
            for index in steps.indices {
                let beta = curvatures[index] * dot(changes[index], direction)
                axpy(alphas[index] - beta, steps[index], &direction)
            }
            for index in direction.indices { direction[index] = -direction[index] }
            var slope = dot(direction, gradient)
            if slope >= 0 {
                // Not a descent direction: restart from steepest descent.
                direction = gradient.map { -$0 }
                slope = dot(direction, gradient)
                steps.removeAll()
                changes.removeAll()
                curvatures.removeAll()
            }
            var stepLength = steps.isEmpty ? 1 / max(1, (gradient.map { $0 * $0 }.reduce(0, +)).squareRoot()) : 1
            var candidate = x, candidateValue = value, candidateGradient = gradient
            var accepted = false
            for _ in 0..<60 {
                candidate = x
                axpy(stepLength, direction, &candidate)
                (candidateValue, candidateGradient) = objective(candidate)
                if candidateValue <= value + 1e-4 * stepLength * slope {
                    accepted = true
                    break
                }
                stepLength /= 2
            }
            guard accepted else { return }
            let step = zip(candidate, x).map { $0 - $1 }
            let change = zip(candidateGradient, gradient).map { $0 - $1 }
            let curvature = dot(step, change)
            if curvature > 1e-12 {
                steps.append(step)
                changes.append(change)
                curvatures.append(1 / curvature)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    curvatures.removeFirst()
                }
            }
            let improvement = value - candidateValue
            x = candidate
            value = candidateValue
            gradient = candidateGradient
            if improvement <= 1e-14 * max(1, abs(value)) && gradient.map(abs).max() ?? 0 <= tolerance * 1e3 { return }
        }
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices { sum += a[index] * b[index] }
        return sum
    }

    private static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for index in y.indices { y[index] += alpha * x[index] }
    }
}
