import FERCore
import FERMath

/// Features computed image by image, on all cores, into one contiguous
/// matrix: what HOG, LBP and aligned HOG share.
enum ImageByImage {
    /// Describes one image of `width` x `height` pixels into `length` values.
    typealias Describe = @Sendable (_ image: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<Float>) -> Void

    /// The `length` features of every image of `batch`, each image warped first so that its eyes and mouth sit at
    /// `FaceAlignment.places` when `aligned`.
    static func features(of batch: FaceBatch, length: Int, aligned: Bool, describe: Describe) -> Matrix {
        let (rows, width, height) = (batch.rows, batch.width, batch.height)
        let perImage = FaceShape.pointCount * 2
        precondition(!aligned || batch.landmarks.count == rows * perImage, "aligned features need every landmark")
        let values = [Float](unsafeUninitializedCapacity: rows * length) { buffer, initialized in
            let out = SendablePointer(buffer.baseAddress!)
            let points = aligned ? Array(batch.landmarks) : []
            batch.pixels.withUnsafeBufferPointer { source in
                points.withUnsafeBufferPointer { landmarkBuffer in
                    let input = SendableConstPointer(source.baseAddress!)
                    let shapes = aligned ? landmarkBuffer.baseAddress.map(SendableConstPointer.init) : nil
                    ParallelLoop.forEachChunk(count: rows, chunks: max(1, min(64, rows / 64))) { _, range in
                        guard let shapes else {
                            for row in range {
                                describe(input.pointer + row * width * height, out.pointer + row * length)
                            }
                            return
                        }
                        // Each face warped into one buffer per chunk, then described.
                        let warped = UnsafeMutablePointer<UInt8>.allocate(capacity: width * height)
                        defer { warped.deallocate() }
                        for row in range {
                            let transform = FaceAlignment.similarity(
                                landmarks: shapes.pointer + row * perImage, width: width, height: height)
                            FaceAlignment.warp(
                                input.pointer + row * width * height, width: width, height: height, by: transform,
                                into: warped)
                            describe(UnsafePointer(warped), out.pointer + row * length)
                        }
                    }
                }
            }
            initialized = rows * length
        }
        return Matrix(rows: rows, columns: length, values: values)
    }
}
