import FERCodecs

/// Resizes grayscale images, separably: shrinking averages the source pixels
/// each output pixel covers, weighted by overlap (area resampling, so no
/// source pixel is skipped and large photos do not alias); enlarging
/// interpolates bilinearly.
package enum ImageResizer {
    /// `image` resampled to `width` x `height`; returned unchanged when the size matches.
    package static func resize(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        if image.width == width && image.height == height { return image }
        let resizing = ImageResizing(from: image.width, image.height, to: width, height)
        var rows = [Float](repeating: 0, count: width * image.height)
        var output = [UInt8](repeating: 0, count: width * height)
        image.pixels.withUnsafeBufferPointer { pixels in
            output.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeMutableBufferPointer { resizing.resample(pixels, into: out, rows: $0) }
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }

    fileprivate struct Taps {
        var first: Int
        var weights: [Float]
    }

    fileprivate static func weights(from source: Int, to target: Int) -> [Taps] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { index in
            scale > 1
                ? areaTaps(index, scale: scale, source: source) : bilinearTaps(index, scale: scale, source: source)
        }
    }

    /// Overlap of each source pixel with the output pixel's footprint.
    private static func areaTaps(_ index: Int, scale: Double, source: Int) -> Taps {
        let start = Double(index) * scale, end = min(Double(source), start + scale)
        let first = Int(start.rounded(.down)), last = min(source, Int(end.rounded(.up)))
        let weights = (first..<last).map { sample -> Float in
            Float((min(end, Double(sample + 1)) - max(start, Double(sample))) / scale)
        }
        return Taps(first: first, weights: weights)
    }

    /// The two nearest source pixels, weighted by distance (pixel centres aligned).
    private static func bilinearTaps(_ index: Int, scale: Double, source: Int) -> Taps {
        let position = min(Double(source - 1), max(0, (Double(index) + 0.5) * scale - 0.5))
        let left = min(source - 1, Int(position.rounded(.down)))
        let fraction = Float(position - Double(left))
        if left + 1 >= source || fraction == 0 { return Taps(first: left, weights: [1]) }
        return Taps(first: left, weights: [1 - fraction, fraction])
    }
}

/// One resampling from an image size to another (see `ImageResizer`), its taps worked out once: for many
/// images of one size, each resampled into buffers the caller keeps.
package struct ImageResizing: Sendable {
    package let sourceWidth: Int, sourceHeight: Int, width: Int, height: Int
    private let horizontal: [ImageResizer.Taps], vertical: [ImageResizer.Taps]

    /// The resampling of `sourceWidth` x `sourceHeight` images to `width` x `height`.
    package init(from sourceWidth: Int, _ sourceHeight: Int, to width: Int, _ height: Int) {
        (self.sourceWidth, self.sourceHeight, self.width, self.height) = (sourceWidth, sourceHeight, width, height)
        horizontal = ImageResizer.weights(from: sourceWidth, to: width)
        vertical = ImageResizer.weights(from: sourceHeight, to: height)
    }

    /// Resamples `pixels` (row by row) into `output`, through `rows` (`width x sourceHeight` values).
    package func resample(
        _ pixels: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
        rows: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(
            pixels.count == sourceWidth * sourceHeight && output.count == width * height
                && rows.count >= width * sourceHeight, "buffers must match the sizes")
        for y in 0..<sourceHeight {
            let sourceRow = y * sourceWidth
            for x in 0..<width {
                let taps = horizontal[x]
                var sum: Float = 0
                for (offset, weight) in taps.weights.enumerated() {
                    sum += weight * Float(pixels[sourceRow + taps.first + offset])
                }
                rows[y * width + x] = sum
            }
        }
        for y in 0..<height {
            let taps = vertical[y]
            for x in 0..<width {
                var sum: Float = 0
                for (offset, weight) in taps.weights.enumerated() {
                    sum += weight * rows[(taps.first + offset) * width + x]
                }
                output[y * width + x] = UInt8(max(0, min(255, (sum).rounded())))
            }
        }
    }
}
