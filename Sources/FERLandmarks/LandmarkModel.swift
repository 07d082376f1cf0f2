import CLandmarks
import FERCore
import Foundation

/// dlib's shape predictor: the model that places facial landmarks on a face,
/// read from its file once per process and shared by every thread (placing
/// points only reads it).
package final class LandmarkModel: Sendable {
    /// Where Debian's `libdlib-data` puts the 68-point model trained on iBUG 300-W.
    package static let debianPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"

    /// The file it was read from.
    package let path: String
    /// Points it places on each face.
    package let pointCount: Int
    private nonisolated(unsafe) let model: OpaquePointer

    private init(path: String) throws(LandmarkModelError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LandmarkModelError(path: path, reason: .missing) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw LandmarkModelError(path: path, reason: .notAFile) }
        var message = [CChar](repeating: 0, count: 512)
        guard let model = ferlab_landmark_model_load(path, &message, message.count) else {
            throw LandmarkModelError(
                path: path,
                reason: .unreadable(Self.text(message)))
        }
        self.path = path
        self.model = model
        pointCount = Int(ferlab_landmark_model_points(model))
    }

    deinit { ferlab_landmark_model_free(model) }

    private static let loaded = LockedModels()

    /// The model in the file at `path`, read on first use and kept for the rest of the process.
    /// - Throws: `LandmarkModelError` when the file is missing or is not a dlib shape predictor.
    package static func load(_ path: String) throws(LandmarkModelError) -> LandmarkModel {
        try loaded.model(at: path) { () throws(LandmarkModelError) in try LandmarkModel(path: path) }
    }

    /// Where the face box of an image is.
    package enum FaceBox: String, Sendable, Hashable, Codable, CaseIterable {
        /// The image inset by a margin: for images that are face crops.
        case crop
        /// The largest face dlib's frontal face detector finds (the inset box when it finds none): for photos
        /// with more than the face in them.
        case detect
    }

    /// What `place` found.
    package struct Placement: Sendable, Equatable {
        /// Per image, x and y of each of `pointCount` points in the image's pixel coordinates.
        package var points: [Float]
        /// Per image, whether the detector found a face (always true with `crop`).
        package var found: [Bool]
    }

    /// The points of each of `count` gray `width` x `height` images stored one after another in `pixels`,
    /// computed on all cores. The predictor sees each image enlarged `upscale` times (bilinear), with the face
    /// box set by `face`; `inset` (a fraction of the image's size on every side) makes the crop box.
    /// - Throws: `LandmarkModelError` when dlib fails (out of memory on very large enlarged images).
    package func place(
        _ pixels: ArraySlice<UInt8>, count: Int, width: Int, height: Int, upscale: Int, inset: Double,
        face: FaceBox = .crop
    ) throws(LandmarkModelError) -> Placement {
        precondition(pixels.count == count * width * height, "pixels do not hold \(count) images")
        let perImage = pointCount * 2
        var found = [UInt8](repeating: 1, count: count)
        var failures: [String?] = []
        let points = [Float](unsafeUninitializedCapacity: count * perImage) { buffer, initialized in
            if let base = buffer.baseAddress {
                let out = SendablePointer(base)
                let model = SendableModel(model: model)
                found.withUnsafeMutableBufferPointer { foundBuffer in
                    pixels.withUnsafeBufferPointer { source in
                        guard let sourceBase = source.baseAddress, let foundBase = foundBuffer.baseAddress else {
                            return
                        }
                        let input = SendableConstPointer(sourceBase), flags = SendablePointer(foundBase)
                        // Each chunk makes its own face detector: fewer, longer chunks when detecting.
                        let chunks = max(1, min(face == .detect ? 16 : 256, count / 16))
                        failures = ParallelLoop.mapChunks(count: count, chunks: chunks) { _, range in
                            var message = [CChar](repeating: 0, count: 256)
                            let status = ferlab_landmark_model_place(
                                model.model, input.pointer + range.lowerBound * width * height, Int32(range.count),
                                Int32(width), Int32(height), Int32(upscale), inset, face == .detect ? 1 : 0,
                                out.pointer + range.lowerBound * perImage, flags.pointer + range.lowerBound,
                                &message, message.count)
                            return status == 0 ? nil : Self.text(message)
                        }
                    }
                }
            }
            initialized = count * perImage
        }
        if let failure = failures.compactMap({ $0 }).first {
            throw LandmarkModelError(path: path, reason: .failed(failure))
        }
        return Placement(points: points, found: found.map { $0 != 0 })
    }

    /// A NUL-terminated message.
    private static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The model's handle, passed to worker threads that only read it.
    private struct SendableModel: @unchecked Sendable {
        let model: OpaquePointer
    }
}

/// The models read so far, by path.
private final class LockedModels: @unchecked Sendable {
    private let lock = NSLock()
    private var models: [String: LandmarkModel] = [:]

    func model(
        at path: String, load: () throws(LandmarkModelError) -> LandmarkModel
    ) throws(LandmarkModelError) -> LandmarkModel {
        lock.lock()
        defer { lock.unlock() }
        if let model = models[path] { return model }
        let model = try load()
        models[path] = model
        return model
    }
}

/// A landmark model file that cannot be used.
package struct LandmarkModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why.
    package enum Reason: Equatable, Sendable {
        /// No file there.
        case missing
        /// The path names a folder, a device, a FIFO or a socket.
        case notAFile
        /// dlib could not read it as a shape predictor (its message).
        case unreadable(String)
        /// dlib failed while placing points (its message).
        case failed(String)
    }

    /// The model file.
    package let path: String
    /// Why it cannot be used.
    package let reason: Reason

    /// The model at `path` cannot be used, for `reason`.
    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    package var description: String {
        switch reason {
        case .missing: return "\(path): no such file"
        case .notAFile: return "\(path): is not a regular file (a folder, device, FIFO or socket)"
        case .unreadable(let message): return "\(path): not a dlib shape predictor (\(message))"
        case .failed(let message): return "\(path): dlib failed while placing points (\(message))"
        }
    }
}
