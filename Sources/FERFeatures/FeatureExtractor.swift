import FERCore
import FERMath

/// What a model sees of each image: scaled pixels, HOG, LBP histograms, or
/// HOG and LBP side by side.
public enum FeatureExtractor: Sendable, Hashable, Codable {
    /// The image's pixels, scaled.
    case pixels(Scaling)
    /// Histograms of oriented gradients.
    case hog(HOG)
    /// Local binary pattern histograms.
    case lbp(LBP)
    /// HOG then LBP, concatenated.
    case hogLBP(HOG, LBP)

    /// Length of the feature vector of a `width` x `height` image.
    public func dimension(width: Int, height: Int) -> Int {
        switch self {
        case .pixels: return width * height
        case .hog(let hog): return hog.dimension(width: width, height: height)
        case .lbp(let lbp): return lbp.dimension(width: width, height: height)
        case .hogLBP(let hog, let lbp):
            return hog.dimension(width: width, height: height) + lbp.dimension(width: width, height: height)
        }
    }

    /// The features of `rows` images stored contiguously in `pixels`, one row each, computed on all cores;
    /// `statistics` are the training images' pixel statistics for `standardized` pixels.
    public func features(
        of pixels: ArraySlice<UInt8>, rows: Int, width: Int, height: Int,
        statistics: Scaling.PixelStatistics? = nil
    ) -> Matrix {
        if case .pixels(let scaling) = self {
            return scaling.apply(pixels, rows: rows, columns: width * height, statistics: statistics)
        }
        let length = dimension(width: width, height: height)
        let tables = BatchTables(self, width: width, height: height)
        let values = [Float](unsafeUninitializedCapacity: rows * length) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            let out = SendablePointer(buffer.baseAddress!)
            pixels.withUnsafeBufferPointer { source in
                let input = SendableConstPointer(source.baseAddress!)
                ParallelLoop.forEachChunk(count: rows, chunks: max(1, min(64, rows / 64))) { _, range in
                    for row in range {
                        describe(
                            input.pointer + row * width * height, width: width, height: height,
                            into: out.pointer + row * length, tables: tables)
                    }
                }
            }
            initialized = rows * length
        }
        return Matrix(rows: rows, columns: length, values: values)
    }

    /// The tables a batch of images of one size shares: HOG's orientation bins, LBP's neighbour positions.
    private struct BatchTables: Sendable {
        let bins: HOG.OrientationBins?
        let neighbours: LBP.Neighbours?

        init(_ extractor: FeatureExtractor, width: Int, height: Int) {
            switch extractor {
            case .pixels: (bins, neighbours) = (nil, nil)
            case .hog(let hog): (bins, neighbours) = (HOG.OrientationBins(orientations: hog.orientations), nil)
            case .lbp: (bins, neighbours) = (nil, LBP.Neighbours(width: width, height: height))
            case .hogLBP(let hog, _):
                (bins, neighbours) = (
                    HOG.OrientationBins(orientations: hog.orientations), LBP.Neighbours(width: width, height: height)
                )
            }
        }
    }

    private func describe(
        _ image: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<Float>,
        tables: BatchTables
    ) {
        switch self {
        case .pixels: break
        case .hog(let hog):
            hog.describe(
                image, width: width, height: height, into: out,
                bins: tables.bins ?? .init(orientations: hog.orientations))
        case .lbp(let lbp):
            lbp.describe(image, width: width, height: height, into: out, neighbours: tables.neighbours)
        case .hogLBP(let hog, let lbp):
            hog.describe(
                image, width: width, height: height, into: out,
                bins: tables.bins ?? .init(orientations: hog.orientations))
            lbp.describe(
                image, width: width, height: height, into: out + hog.dimension(width: width, height: height),
                neighbours: tables.neighbours)
        }
    }
}
