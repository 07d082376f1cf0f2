import FERCore
import FERMath

/// What a model sees of each image: scaled pixels, HOG, LBP histograms, HOG
/// and LBP side by side, the shape of its facial landmarks, HOG of the face
/// aligned on its landmarks, or blocks of these each reduced on its own.
public indirect enum FeatureExtractor: Sendable, Hashable, Codable {
    /// The image's pixels, scaled.
    case pixels(Scaling)
    /// Histograms of oriented gradients.
    case hog(HOG)
    /// Local binary pattern histograms.
    case lbp(LBP)
    /// HOG then LBP, concatenated.
    case hogLBP(HOG, LBP)
    /// The inner-face landmarks (brows, eyes, nose, mouth), Procrustes-aligned onto the training rows' mean shape.
    case landmarks
    /// HOG of the face warped so that its eyes and mouth sit at `FaceAlignment.places`.
    case alignedHOG(HOG)
    /// Each block standardised and reduced by whitened PCA to its number of components, fitted on the training
    /// rows, then the blocks side by side, so that a long block does not drown a short one.
    case blocks([FeatureExtractor], components: [Int], seed: UInt64)

    /// The components a block may be reduced to.
    public static let blockComponents = 1...1024

    /// What in its settings lies outside what a config accepts (a hand-edited model file), if anything.
    public var settingsProblem: String? {
        func hogProblem(_ hog: HOG) -> String? {
            HOG.cells.contains(hog.cell) && HOG.blocks.contains(hog.block)
                && HOG.orientationCounts.contains(hog.orientations)
                ? nil
                : "HOG's cell \(hog.cell), block \(hog.block) or orientations \(hog.orientations) are outside "
                    + "\(HOG.cells), \(HOG.blocks) and \(HOG.orientationCounts)"
        }
        func lbpProblem(_ lbp: LBP) -> String? {
            LBP.cells.contains(lbp.cell) ? nil : "LBP's cell \(lbp.cell) is outside \(LBP.cells)"
        }
        switch self {
        case .pixels, .landmarks: return nil
        case .hog(let hog), .alignedHOG(let hog): return hogProblem(hog)
        case .lbp(let lbp): return lbpProblem(lbp)
        case .hogLBP(let hog, let lbp): return hogProblem(hog) ?? lbpProblem(lbp)
        case .blocks(let parts, let components, _):
            guard parts.count == components.count, (1...8).contains(parts.count),
                components.allSatisfy(Self.blockComponents.contains)
            else { return "its blocks and their components do not match, or lie outside \(Self.blockComponents)" }
            return parts.lazy.compactMap(\.settingsProblem).first
        }
    }

    /// Length of the feature vector of a `width` x `height` image.
    public func dimension(width: Int, height: Int) -> Int {
        switch self {
        case .pixels: return width * height
        case .hog(let hog), .alignedHOG(let hog): return hog.dimension(width: width, height: height)
        case .lbp(let lbp): return lbp.dimension(width: width, height: height)
        case .hogLBP(let hog, let lbp):
            return hog.dimension(width: width, height: height) + lbp.dimension(width: width, height: height)
        case .landmarks: return FaceShape.inner.count * 2
        case .blocks(_, let components, _): return components.reduce(0, +)
        }
    }

    /// Whether it holds anything fitted on training rows (standardized pixels' statistics, the landmark shapes'
    /// mean, the blocks' standardisers and reducers): then every set of rows a model is fitted on refits it.
    public var isFitted: Bool {
        switch self {
        case .pixels(let scaling): return scaling == .standardized
        case .landmarks, .blocks: return true
        case .hog, .lbp, .hogLBP, .alignedHOG: return false
        }
    }

    /// Whether it reads the images' landmarks.
    public var needsLandmarks: Bool {
        switch self {
        case .pixels, .hog, .lbp, .hogLBP: return false
        case .landmarks, .alignedHOG: return true
        case .blocks(let parts, _, _): return parts.contains(where: \.needsLandmarks)
        }
    }

    /// The features of `rows` images stored contiguously in `pixels`, one row each, computed on all cores;
    /// `statistics` are the training images' pixel statistics for `standardized` pixels, `landmarks` the
    /// images' 68 points (x, y pairs, one image after another) for aligned HOG. Landmark shapes and blocks are
    /// fitted things: use `FittedFeatures` for them.
    public func features(
        of pixels: ArraySlice<UInt8>, rows: Int, width: Int, height: Int,
        statistics: Scaling.PixelStatistics? = nil, landmarks: ArraySlice<Float>? = nil
    ) -> Matrix {
        if case .pixels(let scaling) = self {
            return scaling.apply(pixels, rows: rows, columns: width * height, statistics: statistics)
        }
        let perImage = FaceShape.pointCount * 2
        precondition(
            !needsLandmarks || landmarks?.count == rows * perImage, "aligned HOG needs every image's landmarks")
        let length = dimension(width: width, height: height)
        let tables = BatchTables(self, width: width, height: height)
        let values = [Float](unsafeUninitializedCapacity: rows * length) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            let out = SendablePointer(buffer.baseAddress!)
            let points = needsLandmarks ? Array(landmarks ?? []) : []
            pixels.withUnsafeBufferPointer { source in
                points.withUnsafeBufferPointer { landmarkBuffer in
                    let input = SendableConstPointer(source.baseAddress!)
                    let shapes = needsLandmarks ? landmarkBuffer.baseAddress.map(SendableConstPointer.init) : nil
                    ParallelLoop.forEachChunk(count: rows, chunks: max(1, min(64, rows / 64))) { _, range in
                        guard let shapes else {
                            for row in range {
                                describe(
                                    input.pointer + row * width * height, width: width, height: height,
                                    into: out.pointer + row * length, tables: tables)
                            }
                            return
                        }
                        // Aligned HOG: each face warped into one buffer per chunk, then described.
                        let warped = UnsafeMutablePointer<UInt8>.allocate(capacity: width * height)
                        defer { warped.deallocate() }
                        for row in range {
                            let transform = FaceAlignment.similarity(
                                landmarks: shapes.pointer + row * perImage, width: width, height: height)
                            FaceAlignment.warp(
                                input.pointer + row * width * height, width: width, height: height, by: transform,
                                into: warped)
                            describe(
                                UnsafePointer(warped), width: width, height: height, into: out.pointer + row * length,
                                tables: tables)
                        }
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
            case .pixels, .landmarks, .blocks: (bins, neighbours) = (nil, nil)
            case .hog(let hog), .alignedHOG(let hog):
                (bins, neighbours) = (HOG.OrientationBins(orientations: hog.orientations), nil)
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
        case .pixels, .landmarks, .blocks: preconditionFailure("\(self) is not described image by image")
        case .hog(let hog), .alignedHOG(let hog):
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
