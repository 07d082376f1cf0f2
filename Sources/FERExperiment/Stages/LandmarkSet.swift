import FERData
import FERFeatures
import FERLandmarks
import FERStages

/// The 68 facial landmarks of every image of the dataset, as dlib's model
/// places them: per image, x and y of each point in pixel-index coordinates.
/// Empty when no features use landmarks.
package struct LandmarkSet: Sendable, Equatable {
    /// x, y pairs, 68 per image, one image after another.
    package var points: [Float]
    /// Rows in which the face detector found no face (their points are placed in the crop box); empty when
    /// faces are not detected.
    package var missed: [Int] = []

    /// Values per image.
    package static let perImage = FaceShape.pointCount * 2

    /// The landmarks of `rows`, in that order.
    package func subset(_ rows: [Int]) -> [Float] {
        guard !points.isEmpty else { return [] }
        var result: [Float] = []
        result.reserveCapacity(rows.count * Self.perImage)
        for row in rows { result.append(contentsOf: points[(row * Self.perImage)..<((row + 1) * Self.perImage)]) }
        return result
    }

    /// What the landmarks stage reads: the model file (and its content hash) and how the model sees an image.
    package struct Settings: StageParameters {
        /// The model file.
        package var model: String
        /// Its content hash, so a replaced model file is a new key.
        package var modelContent: String
        /// Enlargement before the model runs.
        package var upscale: Int
        /// The face box's inset, a fraction of the image's size.
        package var inset: Double
        /// Where the face box is.
        package var face: LandmarkModel.FaceBox
    }

    /// Places the landmarks of every image (none when `settings` is `nil`: no features use them), reporting
    /// progress by batches.
    static func place(_ settings: Settings?, progress: StageProgress, dataset: Dataset) throws -> LandmarkSet {
        guard let settings else { return LandmarkSet(points: []) }
        let model: LandmarkModel
        do {
            model = try LandmarkModel.load(settings.model)
        } catch {
            throw ConfigProblem(path: "features.landmarks.model", LandmarkSet.advice(for: error))
        }
        guard model.pointCount == FaceShape.pointCount else {
            throw ConfigProblem(
                path: "features.landmarks.model",
                "\(settings.model) places \(model.pointCount) points; FERLab's landmark features need dlib's 68-point model"
            )
        }
        let side = max(dataset.width, dataset.height) * settings.upscale
        guard side <= maximumSide else {
            throw ConfigProblem(
                path: "features.landmarks.upscale",
                "is \(settings.upscale): \(dataset.width) x \(dataset.height) images would be enlarged to \(side) pixels a side, more than \(maximumSide); lower it (faces of about 200 pixels suit the model)"
            )
        }
        let pixels = dataset.width * dataset.height, batch = 2_048
        var points: [Float] = [], missed: [Int] = []
        points.reserveCapacity(dataset.count * perImage)
        for start in stride(from: 0, to: dataset.count, by: batch) {
            let end = min(start + batch, dataset.count)
            let placed: LandmarkModel.Placement
            do {
                placed = try model.place(
                    dataset.pixels[(start * pixels)..<(end * pixels)], count: end - start, width: dataset.width,
                    height: dataset.height, upscale: settings.upscale, inset: settings.inset, face: settings.face)
            } catch {
                throw ConfigProblem(path: "features.landmarks.upscale", advice(for: error))
            }
            points += placed.points
            missed += placed.found.indices.filter { !placed.found[$0] }.map { start + $0 }
            progress(end, dataset.count)
        }
        return LandmarkSet(points: points, missed: missed)
    }

    /// The largest side an image is enlarged to for the model.
    static let maximumSide = 4_096

    /// What to tell a user whose landmark model cannot be used.
    static func advice(for error: LandmarkModelError) -> String {
        switch error.reason {
        case .missing:
            return
                "\(error); Debian's libdlib-data installs dlib's 68-point model at \(LandmarkModel.debianPath) (apt-get install libdlib-data)"
        case .unreadable, .notAFile:
            return "\(error); point features.landmarks.model at dlib's shape_predictor_68_face_landmarks.dat"
        case .failed:
            return "\(error); lower features.landmarks.upscale"
        }
    }
}

extension LandmarkSet: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(points)
        writer.write(missed.map(Int64.init))
    }

    package init(from reader: inout BinaryReader) throws {
        let points: [Float] = try reader.read(), missed: [Int64] = try reader.read()
        let images = points.count / Self.perImage
        guard points.count % Self.perImage == 0, missed.allSatisfy({ $0 >= 0 && $0 < images }) else {
            throw CacheError.malformed
        }
        self.init(points: points, missed: missed.map(Int.init))
    }
}
