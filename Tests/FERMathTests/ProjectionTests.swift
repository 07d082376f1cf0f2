import FERCore
import FERMath
import Testing

private struct PCAFixture: Decodable {
    var x: [[Double]], xNew: [[Double]], components: Int
    var mean: [Double], explainedVariance: [Double], explainedVarianceRatio: [Double], singularValues: [Double]
    var componentsMatrix: [[Double]], transformNew: [[Double]]
}

private struct SVDFixture: Decodable {
    var x: [[Double]], components: Int
    var explainedVariance: [Double], explainedVarianceRatio: [Double], singularValues: [Double]
    var componentsMatrix: [[Double]]
}

/// Tolerances from the numerics issue: ratios and |components| within 1e-4 relative.
@Suite struct ProjectionTests {
    private func expectMatches(_ model: Projection, ratios: [Double], singular: [Double], components: [[Double]]) {
        for (ours, theirs) in zip(model.explainedVarianceRatio, ratios) {
            #expect(close(ours, theirs, relative: 1e-4), "ratio \(ours) vs \(theirs)")
        }
        for (ours, theirs) in zip(model.singularValues, singular) {
            #expect(close(ours, theirs, relative: 1e-4), "singular value \(ours) vs \(theirs)")
        }
        for (k, row) in components.enumerated() {
            for (j, value) in row.enumerated() {
                let ours = Double(model.components[k, j])
                #expect(
                    close(abs(ours), abs(value), relative: 1e-4, floor: 1e-2),
                    "component \(k), feature \(j): \(ours) vs \(value)")
            }
        }
    }

    @Test(arguments: [PCA.Solver.exact, .randomized])
    func pcaMatchesScikitLearn(solver: PCA.Solver) throws {
        let f = try fixture("pca", as: PCAFixture.self)
        let model = try PCA(components: f.components, solver: solver, seed: 1).fit(Matrix(f.x))
        expectMatches(
            model, ratios: f.explainedVarianceRatio, singular: f.singularValues, components: f.componentsMatrix)
        for (ours, theirs) in zip(model.explainedVariance, f.explainedVariance) {
            #expect(close(ours, theirs, relative: 1e-4))
        }
        for (ours, theirs) in zip(model.mean, f.mean) { #expect(abs(Double(ours) - theirs) < 1e-6) }
    }

    @Test func pcaSignsFollowTheLargestEntryRule() throws {
        let f = try fixture("pca", as: PCAFixture.self)
        let model = try PCA(components: f.components, solver: .exact).fit(Matrix(f.x))
        for k in 0..<model.componentCount {
            let row = model.components.row(k)
            let largest = row.max { abs($0) < abs($1) } ?? 0
            #expect(largest > 0)
        }
    }

    @Test func transformUsesTheFittedModelOnNewRows() throws {
        // The notebooks refitted PCA on the test split; FERLab projects new rows with the fitted model.
        let f = try fixture("pca", as: PCAFixture.self)
        let model = try PCA(components: f.components, solver: .exact).fit(Matrix(f.x))
        let scores = model.transform(Matrix(f.xNew))
        for (row, expected) in f.transformNew.enumerated() {
            for (k, value) in expected.enumerated() {
                // Signs of scikit-learn's components may differ per component; compare magnitudes.
                #expect(abs(abs(Double(scores[row, k])) - abs(value)) < 1e-4 * max(1, abs(value)))
            }
        }
    }

    @Test func inverseTransformReconstructs() throws {
        let f = try fixture("pca", as: PCAFixture.self)
        let x = Matrix(f.x)
        let full = try PCA(components: 30, solver: .exact).fit(x)
        let back = full.inverseTransform(full.transform(x))
        let error = zip(back.values, x.values).map { abs($0 - $1) }.max() ?? 1
        #expect(error < 1e-4)
        // With fewer components the reconstruction keeps the explained part only: error grows but stays bounded.
        let few = try PCA(components: 2, solver: .exact).fit(x)
        let rough = few.inverseTransform(few.transform(x))
        let roughError = zip(rough.values, x.values).map { abs($0 - $1) }.max() ?? 0
        #expect(roughError > error)
    }

    @Test func truncatedSVDMatchesScikitLearn() throws {
        let f = try fixture("truncated_svd", as: SVDFixture.self)
        let model = try TruncatedSVD(components: f.components, seed: 3).fit(Matrix(f.x))
        expectMatches(
            model, ratios: f.explainedVarianceRatio, singular: f.singularValues, components: f.componentsMatrix)
        for (ours, theirs) in zip(model.explainedVariance, f.explainedVariance) {
            #expect(close(ours, theirs, relative: 1e-4))
        }
        #expect(model.mean.allSatisfy { $0 == 0 })
    }

    /// The fixture's rows plus `extra` other rows, and the scatter of the
    /// fixture's rows obtained as (all rows) minus (the extra rows).
    private func scatterOfFixtureRows(_ x: Matrix, extra: Int, origin: [Float]) -> ScatterMatrix {
        var values = x.values
        var random = SeededGenerator(seed: 11)
        values += (0..<(extra * x.columns)).map { _ in Float(random.normal() * 3) }
        let all = Matrix(rows: x.rows + extra, columns: x.columns, values: values)
        let parts = [
            ScatterMatrix(all, rows: Array(0..<x.rows), origin: origin),
            ScatterMatrix(all, rows: Array(x.rows..<all.rows), origin: origin),
        ]
        let total = ScatterMatrix.combining(parts)
        #expect(total.rows == all.rows)
        return total.removing(parts[1])
    }

    @Test(arguments: [PCA.Solver.exact, .randomized])
    func pcaFromAScatterMatchesScikitLearn(solver: PCA.Solver) throws {
        let f = try fixture("pca", as: PCAFixture.self)
        let x = Matrix(f.x)
        let scatter = scatterOfFixtureRows(x, extra: 17, origin: x.columnStatistics().means.map { Float($0 + 0.5) })
        let model = try PCA(components: f.components, solver: solver, seed: 1).fit(scatter)
        expectMatches(
            model, ratios: f.explainedVarianceRatio, singular: f.singularValues, components: f.componentsMatrix)
        for (ours, theirs) in zip(model.explainedVariance, f.explainedVariance) {
            #expect(close(ours, theirs, relative: 1e-4))
        }
        for (ours, theirs) in zip(model.mean, f.mean) { #expect(abs(Double(ours) - theirs) < 1e-5) }
        #expect(model.samples == x.rows)
    }

    @Test func truncatedSVDFromAScatterMatchesScikitLearn() throws {
        let f = try fixture("truncated_svd", as: SVDFixture.self)
        let x = Matrix(f.x)
        for origin in [[Float](repeating: 0, count: x.columns), x.columnStatistics().means.map(Float.init)] {
            let model = try TruncatedSVD(components: f.components, seed: 3)
                .fit(scatterOfFixtureRows(x, extra: 9, origin: origin))
            expectMatches(
                model, ratios: f.explainedVarianceRatio, singular: f.singularValues, components: f.componentsMatrix)
            for (ours, theirs) in zip(model.explainedVariance, f.explainedVariance) {
                #expect(close(ours, theirs, relative: 1e-4))
            }
        }
    }

    /// The folds' reducers score the rows in one product with all their components: each projection's scores
    /// are the very bits it gives alone (whitened or not, centred or not), on enough rows for several blocks.
    @Test func scoresUnderSeveralProjectionsAreEachOnesOwnScores() throws {
        var random = SeededGenerator(seed: 11)
        let x = Matrix(
            rows: 2_500, columns: 300, values: (0..<(2_500 * 300)).map { _ in Float(random.uniform()) })
        let projections = [
            try PCA(components: 2, seed: 1).fit(x.selecting(rows: Array(0..<1_800))),
            try PCA(components: 3, seed: 2).fit(x.selecting(rows: Array(700..<2_500))),
            try TruncatedSVD(components: 2, seed: 3).fit(x.selecting(rows: Array(stride(from: 0, to: 2_500, by: 2)))),
        ]
        for whiten in [false, true] {
            let together = Projection.scores(of: x, under: projections, whiten: whiten)
            #expect(together == projections.map { $0.scores(of: x, whiten: whiten) }, "whiten \(whiten)")
        }
    }

    @Test func randomizedFitsAreDeterministicForASeed() throws {
        let f = try fixture("pca", as: PCAFixture.self)
        let first = try PCA(components: 3, solver: .randomized, seed: 9).fit(Matrix(f.x))
        let second = try PCA(components: 3, solver: .randomized, seed: 9).fit(Matrix(f.x))
        #expect(first == second)
    }

    @Test func impossibleComponentCountsAreRefused() {
        let x = Matrix(rows: 5, columns: 3, repeating: 1)
        #expect(throws: MathError.invalidParameters("PCA needs 1 to 3 components for 5 rows of 3 features, not 4")) {
            try PCA(components: 4).fit(x)
        }
        #expect(throws: MathError.self) { try TruncatedSVD(components: 0).fit(x) }
    }
}
