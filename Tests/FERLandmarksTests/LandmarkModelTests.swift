import FERData
import FERSynth
import Foundation
import Testing

@testable import FERLandmarks

/// dlib's 68-point model on the synthetic faces, whose renderer knows where it drew the eyes and the mouth.
/// Skipped where Debian's libdlib-data is not installed.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: LandmarkModel.debianPath)))
struct LandmarkModelTests {
    /// The mean of points `range` of image `index`.
    private static func centre(_ points: [Float], _ index: Int, _ range: ClosedRange<Int>) -> (x: Double, y: Double) {
        let base = index * 136
        let xs = range.map { Double(points[base + 2 * $0]) }, ys = range.map { Double(points[base + 2 * $0 + 1]) }
        return (xs.reduce(0, +) / Double(xs.count), ys.reduce(0, +) / Double(ys.count))
    }

    @Test func eyeAndMouthCentresFallNearWhereTheyWereDrawn() throws {
        let count = 400
        let faces = SyntheticFaces.generate(count: count, seed: 99)
        let truth = SyntheticFaces.geometry(count: count, seed: 99)
        let model = try LandmarkModel.load(LandmarkModel.debianPath)
        #expect(model.pointCount == 68)
        let points = try model.place(
            faces.pixels[...], count: count, width: 48, height: 48, upscale: 4, inset: 0.08
        ).points
        var within = 0
        for index in 0..<count {
            let found = [
                Self.centre(points, index, 36...41), Self.centre(points, index, 42...47),
                Self.centre(points, index, 48...67),
            ]
            let drawn = [truth[index].leftEye, truth[index].rightEye, truth[index].mouth]
            let worst = zip(found, drawn).map { hypot($0.x - $1.x, $0.y - $1.y) }.max() ?? .infinity
            if worst <= 3 { within += 1 }
        }
        // Measured: all three centres within 3 px (a quarter of the eye distance) on 281 of these 400 faces
        // (70%); within 2 px on 61%, within 6 px on 83%.
        #expect(Double(within) / Double(count) >= 0.65, "\(within) of \(count)")
    }

    /// What `Scripts/reference/make_landmark_fixtures.sh` wrote: dlib's own `shape_predictor` on these faces.
    private struct Reference: Decodable {
        let upscale: Int
        let inset: Double
        /// Per image, x and y of each point in the enlarged image.
        let points: [[Int]]
    }

    @Test func thePointsAreDlibsOwnShapePredictors() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/landmarks", withExtension: "json"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let count = reference.points.count
        let faces = SyntheticFaces.generate(count: count, seed: 7)
        let model = try LandmarkModel.load(LandmarkModel.debianPath)
        let points = try model.place(
            faces.pixels[...], count: count, width: 48, height: 48, upscale: reference.upscale,
            inset: reference.inset
        ).points
        // dlib places points at whole pixels of the enlarged image; FERLab maps them back, corner onto corner.
        let scale = 47 / Double(48 * reference.upscale - 1)
        let expected = reference.points.flatMap { $0.map { Float(Double($0) * scale) } }
        #expect(count == 120 && points.count == expected.count)
        let differing = zip(points, expected).filter { $0 != $1 }.count
        let first = zip(points, expected).enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset / 136 }
        #expect(differing == 0, "\(differing) coordinates differ, the first in image \(first ?? 0)")
    }

    @Test func theSameImagesGiveTheSamePointsOnAnyNumberOfThreads() throws {
        let faces = SyntheticFaces.generate(count: 64, seed: 5)
        let model = try LandmarkModel.load(LandmarkModel.debianPath)
        let all = try model.place(faces.pixels[...], count: 64, width: 48, height: 48, upscale: 4, inset: 0.08).points
        let one = try model.place(
            faces.pixels[(48 * 48 * 7)..<(48 * 48 * 8)], count: 1, width: 48, height: 48,
            upscale: 4, inset: 0.08
        ).points
        #expect(Array(all[(7 * 136)..<(8 * 136)]) == one)
        #expect(try LandmarkModel.load(LandmarkModel.debianPath) === model)
    }

    @Test func aMissingOrDamagedModelIsNamed() throws {
        #expect(throws: LandmarkModelError(path: "/nonexistent/model.dat", reason: .missing)) {
            try LandmarkModel.load("/nonexistent/model.dat")
        }
        let damaged = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(getpid()).dat").path
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: damaged))
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        let error = #expect(throws: LandmarkModelError.self) { try LandmarkModel.load(damaged) }
        #expect(error.map { "\($0)" }?.hasPrefix("\(damaged): not a dlib shape predictor") == true)
    }

    /// Faces placed off-centre in larger frames: the crop box misses them, dlib's face detector finds them.
    @Test func theDetectorFindsFacesThatAreNotCrops() throws {
        let count = 40, side = 96, offset = (x: 40, y: 8)
        let faces = SyntheticFaces.generate(count: count, seed: 21)
        let truth = SyntheticFaces.geometry(count: count, seed: 21)
        var frames = [UInt8](repeating: 128, count: count * side * side)
        for image in 0..<count {
            for row in 0..<48 {
                for column in 0..<48 {
                    frames[image * side * side + (row + offset.y) * side + column + offset.x] =
                        faces.pixels[image * 48 * 48 + row * 48 + column]
                }
            }
        }
        let model = try LandmarkModel.load(LandmarkModel.debianPath)
        func near(_ placement: LandmarkModel.Placement) -> Int {
            (0..<count).filter { image in
                let found = Self.centre(placement.points, image, 48...67)
                let drawn = truth[image].mouth
                return hypot(found.x - drawn.x - Double(offset.x), found.y - drawn.y - Double(offset.y)) <= 4
            }.count
        }
        let crop = try model.place(frames[...], count: count, width: side, height: side, upscale: 2, inset: 0.08)
        let detect = try model.place(
            frames[...], count: count, width: side, height: side, upscale: 2, inset: 0.08, face: .detect)
        #expect(crop.found == [Bool](repeating: true, count: count))
        #expect(detect.found.count == count && detect.found.contains(true))
        #expect(near(detect) > near(crop), "mouths found: \(near(detect)) detecting, \(near(crop)) with the crop box")
    }
}
