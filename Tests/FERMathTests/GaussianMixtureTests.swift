import Foundation
import Testing

@testable import FERMath

private struct MixtureFixture: Decodable {
    struct Fit: Decodable {
        var covariance: String, labels: [Int32], weights: [Double], means: [[Double]]
        var score: Double, bic: Double, probabilitiesNew: [[Double]], scoreNew: Double
    }
    var x: [[Double]], xNew: [[Double]], components: Int, tolerance: Double, maxIterations: Int, fits: [Fit]
}

/// FERLab's Gaussian mixture against scikit-learn's `GaussianMixture` on
/// the same rows (Scripts/reference/make_clustering_fixtures.py): the same
/// clusters up to their order, and the same weights, means, log-likelihood,
/// BIC and probabilities of new rows to the stated tolerances (the rows
/// reach FERLab as 32-bit floats).
@Suite struct GaussianMixtureTests {
    @Test(arguments: ["full", "diag"])
    func agreesWithScikitLearn(covariance: String) throws {
        let f = try fixture("gaussian_mixture", as: MixtureFixture.self)
        let reference = try #require(f.fits.first { $0.covariance == covariance })
        let mixture = GaussianMixture(
            components: f.components, covariance: try #require(GaussianMixture.Covariance(rawValue: covariance)),
            restarts: 3, maxIterations: f.maxIterations, tolerance: f.tolerance, seed: 5)
        let x = Matrix(f.x)
        let fitted = try mixture.fit(x)
        #expect(fitted.converged)
        // The same partition: each of FERLab's clusters is exactly one of scikit-learn's.
        let labels = fitted.predict(x)
        var order = [Int](repeating: -1, count: f.components)
        for (ours, theirs) in zip(labels, reference.labels) {
            #expect(order[Int(ours)] == -1 || order[Int(ours)] == Int(theirs), "cluster \(ours) is split")
            order[Int(ours)] = Int(theirs)
        }
        #expect(Set(order).count == f.components, "clusters \(order) are not a permutation")
        let d = x.columns
        for c in 0..<f.components where order[c] >= 0 {
            #expect(close(fitted.weights[c], reference.weights[order[c]], relative: 1e-4))
            for j in 0..<d {
                #expect(close(fitted.means[c * d + j], reference.means[order[c]][j], relative: 1e-4, floor: 1e-2))
            }
        }
        #expect(close(fitted.score(x), reference.score, relative: 1e-5), "\(fitted.score(x)) vs \(reference.score)")
        #expect(close(fitted.bic(x), reference.bic, relative: 1e-5), "\(fitted.bic(x)) vs \(reference.bic)")
        let new = Matrix(f.xNew)
        #expect(close(fitted.score(new), reference.scoreNew, relative: 1e-4))
        let probabilities = fitted.probabilities(new)
        for row in 0..<new.rows {
            for c in 0..<f.components {
                #expect(abs(probabilities[row * f.components + c] - reference.probabilitiesNew[row][order[c]]) < 1e-4)
            }
        }
    }

    @Test func sameSeedSameFitAndTheModelFileRoundTrips() throws {
        let f = try fixture("gaussian_mixture", as: MixtureFixture.self)
        let mixture = GaussianMixture(components: 3, restarts: 2, seed: 9)
        let first = try mixture.fit(Matrix(f.x))
        #expect(try mixture.fit(Matrix(f.x)) == first)
        let decoded = try JSONDecoder().decode(FittedGaussianMixture.self, from: JSONEncoder().encode(first))
        #expect(decoded == first)
    }

    @Test func impossibleSettingsAreRefusedInWords() throws {
        let x = Matrix([[0, 1], [1, 0]])
        #expect(throws: MathError.invalidParameters("a Gaussian mixture needs 1 to 2 components for 2 rows, not 3")) {
            try GaussianMixture(components: 3).fit(x)
        }
    }
}
