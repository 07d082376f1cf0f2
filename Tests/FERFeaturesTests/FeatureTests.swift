import FERFeatures
import FERMath
import Foundation
import Testing

private struct Fixture: Decodable {
    struct HOGCase: Decodable { var cell: Int, block: Int, orientations: Int, norm: String, features: [[Double]] }
    struct Logistic: Decodable {
        var x: [[Double]], y: [Int32], c: Double, coef: [[Double]], intercept: [Double]
        var probabilitiesFirstRows: [[Double]], predictions: [Int32]
    }
    var images: [[UInt8]], hog: [HOGCase], lbpUniformP8R1: [[Int]], logistic: Logistic
}

private func fixture() throws -> Fixture {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/features", withExtension: "json"))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
}

/// HOG and LBP against scikit-image 0.26, logistic regression against scikit-learn 1.9 (Scripts/reference).
@Suite struct FeatureTests {
    @Test func hogMatchesScikitImage() throws {
        let f = try fixture()
        for item in f.hog {
            let norm = try #require(HOG.BlockNorm(rawValue: item.norm))
            let hog = HOG(cell: item.cell, block: item.block, orientations: item.orientations, norm: norm)
            #expect(hog.dimension(width: 48, height: 48) == item.features[0].count)
            for (image, expected) in zip(f.images, item.features) {
                var out = [Float](repeating: 0, count: expected.count)
                image.withUnsafeBufferPointer { pixels in
                    out.withUnsafeMutableBufferPointer {
                        hog.describe(pixels.baseAddress!, width: 48, height: 48, into: $0.baseAddress!)
                    }
                }
                let worst = zip(out, expected).map { abs(Double($0) - $1) }.max() ?? 1
                #expect(
                    worst < 1e-5, "cell \(item.cell), block \(item.block), \(item.norm): largest difference \(worst)")
            }
        }
    }

    @Test func lbpCodesMatchScikitImage() throws {
        let f = try fixture()
        for (image, expected) in zip(f.images, f.lbpUniformP8R1) {
            let codes = image.withUnsafeBufferPointer { LBP.codes($0.baseAddress!, width: 48, height: 48) }
            #expect(codes.map(Int.init) == expected)
        }
    }

    @Test func lbpHistogramsSumToOnePerCell() throws {
        let f = try fixture()
        let lbp = LBP(cell: 8)
        let features = try Self.features(LBPFeatures(lbp), of: f.images[0], rows: 1)
        #expect(features.columns == 36 * 10)
        for cell in 0..<36 {
            let total = (0..<10).reduce(Float(0)) { $0 + features[0, cell * 10 + $1] }
            #expect(abs(total - 1) < 1e-5)
        }
    }

    @Test func extractorsComputeEveryRowLikeOneAtATime() throws {
        let f = try fixture()
        let pixels = f.images.flatMap { $0 }
        let extractor = HOGAndLBP(HOG(), LBP())
        let all = try Self.features(extractor, of: pixels, rows: 3)
        #expect(all.columns == HOG().dimension(width: 48, height: 48) + LBP().dimension(width: 48, height: 48))
        let second = try Self.features(extractor, of: f.images[1], rows: 1)
        #expect(Array(all.row(1)) == Array(second.row(0)))
        // HOG+LBP is HOG's columns then LBP's.
        let hog = try Self.features(HOGFeatures(HOG()), of: pixels, rows: 3)
        let lbp = try Self.features(LBPFeatures(LBP()), of: pixels, rows: 3)
        for row in 0..<3 {
            #expect(Array(all.row(row)) == Array(hog.row(row)) + Array(lbp.row(row)))
        }
    }

    /// The features `method` computes of `rows` 48 x 48 images.
    private static func features(_ method: some FeatureMethod, of pixels: [UInt8], rows: Int) throws -> Matrix {
        try method.fit(on: FaceBatch(pixels: pixels[...], rows: rows, width: 48, height: 48)).1
    }

    @Test func logisticRegressionMatchesScikitLearn() throws {
        let f = try fixture().logistic
        let model = try LogisticRegression(c: f.c).fit(Matrix(f.x), labels: f.y, classes: 3)
        for label in 0..<3 {
            for feature in 0..<4 {
                #expect(abs(model.weight(label: label, feature: feature) - f.coef[label][feature]) < 1e-4)
            }
        }
        // Intercepts are unpenalised, so they are fixed only up to a common shift.
        let shift = model.intercept(label: 0) - f.intercept[0]
        for label in 1..<3 { #expect(abs(model.intercept(label: label) - f.intercept[label] - shift) < 1e-4) }
        let probabilities = model.probabilities(Matrix(Array(f.x.prefix(5))))
        for (ours, theirs) in zip(probabilities, f.probabilitiesFirstRows) {
            for (a, b) in zip(ours, theirs) { #expect(abs(a - b) < 1e-5) }
        }
        #expect(model.predict(Matrix(f.x)) == f.predictions)
    }

    @Test func logisticRegressionRefusesBadLabels() {
        #expect(throws: MathError.self) {
            try LogisticRegression().fit(Matrix([[0], [1]]), labels: [0, 5], classes: 2)
        }
    }
}
