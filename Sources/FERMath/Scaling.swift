import FERCore

/// Turns 8-bit images into the `Float` features the models see.
package enum Scaling: String, Sendable, Codable, CaseIterable {
    /// Each image to [0, 1] over its own minimum and maximum (the notebooks'
    /// choice; a flat image becomes all zeros).
    case minMaxPerImage = "minmax-per-image"
    /// Every pixel divided by 255.
    case divideBy255 = "divide-by-255"
    /// Each pixel position to zero mean and unit variance over the training
    /// images (their statistics are applied unchanged to every other image).
    case standardized

    /// Each pixel position's mean and standard deviation over training images,
    /// what `standardized` scaling is fitted to.
    package struct PixelStatistics: Sendable, Equatable, Codable {
        /// Mean of each pixel position.
        package let means: [Double]
        /// Standard deviation of each pixel position (population, as scikit-learn's `StandardScaler`).
        package let deviations: [Double]

        /// The statistics of `rows` images of `columns` pixels stored contiguously in `pixels`.
        package init(_ pixels: ArraySlice<UInt8>, rows: Int, columns: Int) {
            let statistics = Matrix(rows: rows, columns: columns, values: pixels.map(Float.init)).columnStatistics()
            means = statistics.means
            deviations = statistics.variances.map { $0.squareRoot() }
        }
    }

    /// The statistics this scaling is fitted to on the training images (`nil` for the per-image scalings).
    package func fitted(on pixels: ArraySlice<UInt8>, rows: Int, columns: Int) -> PixelStatistics? {
        self == .standardized ? PixelStatistics(pixels, rows: rows, columns: columns) : nil
    }

    /// Scales `rows` images of `columns` pixels stored contiguously in `pixels`;
    /// `standardized` uses `statistics` fitted on the training images, or, without them, the images' own.
    package func apply(
        _ pixels: ArraySlice<UInt8>, rows: Int, columns: Int, statistics: PixelStatistics? = nil
    ) -> Matrix {
        precondition(pixels.count == rows * columns, "pixel count must match rows x columns")
        switch self {
        case .divideBy255:
            return Matrix(rows: rows, columns: columns, values: pixels.map { Float($0) / 255 })
        case .minMaxPerImage:
            // Written from all cores straight into uninitialised memory: first-touch page faults are
            // a large part of the cost of a 200 MB result, and they too run in parallel this way.
            let values = [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
                let out = SendablePointer(buffer.baseAddress!)
                pixels.withUnsafeBufferPointer { source in
                    let input = SendableConstPointer(source.baseAddress!)
                    ParallelLoop.forEachChunk(count: rows, chunks: max(1, min(64, rows / 256))) { _, range in
                        for row in range {
                            let image = input.pointer + row * columns
                            var low = UInt8.max, high = UInt8.min
                            for index in 0..<columns { low = min(low, image[index]); high = max(high, image[index]) }
                            let target = out.pointer + row * columns
                            guard high > low else {
                                target.update(repeating: 0, count: columns)
                                continue
                            }
                            let scale = 1 / Float(high - low)
                            for index in 0..<columns { target[index] = Float(image[index] - low) * scale }
                        }
                    }
                }
                initialized = rows * columns
            }
            return Matrix(rows: rows, columns: columns, values: values)
        case .standardized:
            var matrix = Matrix(rows: rows, columns: columns, values: pixels.map(Float.init))
            let fitted = statistics ?? PixelStatistics(pixels, rows: rows, columns: columns)
            let means = fitted.means, deviations = fitted.deviations
            for row in 0..<rows {
                for column in 0..<columns {
                    let deviation = deviations[column]
                    matrix[row, column] =
                        deviation > 0 ? Float((Double(matrix[row, column]) - means[column]) / deviation) : 0
                }
            }
            return matrix
        }
    }
}
