import Foundation
import Testing

@testable import FERFeatures

/// Generalised Procrustes, the similarity warp and the lighting normalisations against NumPy, SciPy and
/// scikit-image (`Scripts/reference/make_face_fixtures.py`).
private struct FaceFixture: Decodable {
    struct Procrustes: Decodable {
        let train: [[Double]]
        let heldOut: [[Double]]
        let mean: [Double]
        let aligned: [[Double]]
    }
    struct Similarity: Decodable {
        let image: [UInt8]
        let landmarks: [Double]
        let matrix: [[Double]]
        let warped: [Double]
    }
    struct Lighting: Decodable {
        let width: Int
        let height: Int
        let image: [UInt8]
        let equalized: [Double]
        let tanTriggs: [Double]
    }
    let procrustes: Procrustes
    let similarity: Similarity
    let lighting: Lighting

    static func load() throws -> FaceFixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/faces", withExtension: "json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(FaceFixture.self, from: Data(contentsOf: url))
    }
}

@Suite struct FaceFixtureTests {
    @Test func procrustesMeanAndAlignedShapesMatchTheReference() throws {
        let fixture = try FaceFixture.load().procrustes
        let points = fixture.mean.count / 2
        let fitted = Procrustes(
            fitting: fixture.train.flatMap { $0.map(Float.init) }, count: fixture.train.count, points: points)
        // Inputs are rounded to Float, the fit runs in Double.
        for (ours, theirs) in zip(fitted.mean, fixture.mean) { #expect(abs(ours - theirs) < 1e-6) }
        let heldOut = fixture.heldOut.flatMap { $0.map(Float.init) }
        for (index, expected) in fixture.aligned.enumerated() {
            let aligned = fitted.align(heldOut, shape: index)
            #expect(zip(aligned, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        }
        // Alignment removes position, size and rotation: a moved, scaled, turned copy aligns the same.
        let copy = (0..<points).flatMap { point -> [Float] in
            let (x, y) = (heldOut[2 * point], heldOut[2 * point + 1])
            let (c, s) = (Float(cos(0.3)), Float(sin(0.3)))
            return [2.5 * (c * x - s * y) + 7, 2.5 * (s * x + c * y) - 3]
        }
        #expect(zip(fitted.align(copy, shape: 0), fitted.align(heldOut, shape: 0)).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func similarityAndWarpMatchScikitImage() throws {
        let fixture = try FaceFixture.load().similarity
        let landmarks = fixture.landmarks.map(Float.init)
        let transform = landmarks.withUnsafeBufferPointer {
            FaceAlignment.similarity(landmarks: $0.baseAddress!, width: 48, height: 48)
        }
        let m = fixture.matrix
        #expect(abs(transform.a - m[0][0]) < 1e-6 && abs(transform.b - m[1][0]) < 1e-6)
        #expect(abs(-transform.b - m[0][1]) < 1e-6 && abs(transform.a - m[1][1]) < 1e-6)
        #expect(abs(transform.tx - m[0][2]) < 1e-5 && abs(transform.ty - m[1][2]) < 1e-5)
        var warped = [UInt8](repeating: 0, count: 48 * 48)
        fixture.image.withUnsafeBufferPointer { image in
            warped.withUnsafeMutableBufferPointer {
                FaceAlignment.warp(image.baseAddress!, width: 48, height: 48, by: transform, into: $0.baseAddress!)
            }
        }
        // Rounded to gray levels: within one level of scikit-image's value everywhere.
        let differences = zip(warped, fixture.warped).map { abs(Double($0) - $1) }
        #expect(differences.max() ?? 1 < 1.0)
    }

    @Test func lightingMatchesScikitImageAndTheTanTriggsDefinition() throws {
        let fixture = try FaceFixture.load().lighting
        let (width, height) = (fixture.width, fixture.height)
        let equalized = Lighting.equalize.apply(fixture.image[...], rows: 1, width: width, height: height)
        #expect(zip(equalized, fixture.equalized).allSatisfy { abs(Double($0) - $1 * 255) <= 0.5 + 1e-9 })
        let values = fixture.image.withUnsafeBufferPointer { Lighting.tanTriggs($0, width: width, height: height) }
        #expect(zip(values, fixture.tanTriggs).allSatisfy { abs($0 - $1) < 1e-9 })
        // Gray levels spread over the full range; `none` leaves the image alone.
        let normalised = Lighting.tanTriggs.apply(fixture.image[...], rows: 1, width: width, height: height)
        #expect(
            (normalised.max() ?? 0) - (normalised.min() ?? 0) > (fixture.image.max() ?? 0) - (fixture.image.min() ?? 0))
        #expect(Lighting.none.apply(fixture.image[...], rows: 1, width: width, height: height) == fixture.image)
    }
}
