import FERCodecs

/// Resizes grayscale images, separably: shrinking averages the source pixels
/// each output pixel covers, weighted by overlap (area resampling, so no
/// source pixel is skipped and large photos do not alias); enlarging
/// interpolates bilinearly.
package enum ImageResizer {
    /// `image` resampled to `width` x `height`; returned unchanged when the size matches.
    package static func resize(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        if image.width == width && image.height == height { return image }
        let horizontal = weights(from: image.width, to: width)
        let vertical = weights(from: image.height, to: height)
        var rows = [Float](repeating: 0, count: width * image.height)
        for y in 0..<image.height {
            let sourceRow = y * image.width
            for x in 0..<width {
                let taps = horizontal[x]
                var sum: Float = 0
                for (offset, weight) in taps.weights.enumerated() {
                    sum += weight * Float(image.pixels[sourceRow + taps.first + offset])
                }
                rows[y * width + x] = sum
            }
        }
        var output = [UInt8](repeating: 0, count: width * height)
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
        return GrayImage(width: width, height: height, pixels: output)
    }

    private struct Taps {
        var first: Int
        var weights: [Float]
    }

    private static func weights(from source: Int, to target: Int) -> [Taps] {
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
