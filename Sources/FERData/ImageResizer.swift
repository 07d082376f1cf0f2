import FERCodecs

/// Resizes grayscale images with a separable triangle (bilinear) filter whose
/// support widens when shrinking, so downscaling averages every source pixel
/// instead of skipping some (no aliasing on large photos).
public enum ImageResizer {
    /// `image` resampled to `width` x `height`; returned unchanged when the size matches.
    public static func resize(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
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
        let filterScale = max(scale, 1)
        let support = filterScale
        return (0..<target).map { index in
            let center = (Double(index) + 0.5) * scale
            let lower = max(0, Int((center - support).rounded(.down)))
            let upper = min(source, Int((center + support).rounded(.up)))
            var weights = (lower..<upper).map { sample -> Double in
                let distance = abs((Double(sample) + 0.5 - center) / filterScale)
                return max(0, 1 - distance)
            }
            let total = weights.reduce(0, +)
            if total > 0 {
                weights = weights.map { $0 / total }
            } else {
                let nearest = min(source - 1, max(0, Int(center)))
                return Taps(first: nearest, weights: [1])
            }
            return Taps(first: lower, weights: weights.map(Float.init))
        }
    }
}
