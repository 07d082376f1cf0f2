import FERCore
import Foundation

/// Lighting normalisation applied to each image before its features: none,
/// histogram equalisation (scikit-image's `equalize_hist` on an 8-bit image,
/// one bin per gray level), or Tan and Triggs' chain (gamma 0.2, a
/// difference of Gaussians with sigmas 1 and 2, two-stage contrast
/// equalisation with alpha 0.1 and tau 10), each result mapped back to gray
/// levels. No statistics are fitted: every image is normalised on its own.
package enum Lighting: String, Sendable, Hashable, Codable, CaseIterable {
    /// The images as they are.
    case none
    /// Histogram equalisation.
    case equalize
    /// Tan-Triggs normalisation.
    case tanTriggs = "tan-triggs"

    /// `rows` images of `width` x `height` gray pixels, normalised, on all cores.
    package func apply(_ pixels: ArraySlice<UInt8>, rows: Int, width: Int, height: Int) -> [UInt8] {
        guard self != .none else { return Array(pixels) }
        let size = width * height
        precondition(pixels.count == rows * size, "pixels do not hold \(rows) images")
        return [UInt8](unsafeUninitializedCapacity: rows * size) { buffer, initialized in
            if let base = buffer.baseAddress {
                let out = SendablePointer(base)
                pixels.withUnsafeBufferPointer { source in
                    guard let input = source.baseAddress.map(SendableConstPointer.init) else { return }
                    ParallelLoop.forEachChunk(count: rows, chunks: max(1, min(64, rows / 64))) { _, range in
                        for row in range {
                            let image = UnsafeBufferPointer(start: input.pointer + row * size, count: size)
                            let target = UnsafeMutableBufferPointer(start: out.pointer + row * size, count: size)
                            switch self {
                            case .none: break
                            case .equalize: Self.equalize(image, into: target)
                            case .tanTriggs:
                                let values = Self.tanTriggs(image, width: width, height: height)
                                for index in 0..<size {
                                    let level = (values[index] + Self.tau) / (2 * Self.tau) * 255
                                    target[index] = UInt8(min(max(level.rounded(), 0), 255))
                                }
                            }
                        }
                    }
                }
            }
            initialized = rows * size
        }
    }

    /// Each gray level replaced by the share of the image's pixels at or below it, as 0...255.
    static func equalize(_ image: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        var counts = [Int](repeating: 0, count: 256)
        for value in image { counts[Int(value)] += 1 }
        var cumulative = [Double](repeating: 0, count: 256)
        var total = 0
        for level in 0..<256 {
            total += counts[level]
            cumulative[level] = Double(total) / Double(max(1, image.count))
        }
        for index in 0..<image.count {
            out[index] = UInt8(min(max((cumulative[Int(image[index])] * 255).rounded(), 0), 255))
        }
    }

    static let gamma = 0.2, sigmaInner = 1.0, sigmaOuter = 2.0, alpha = 0.1, tau = 10.0

    /// Tan and Triggs' normalised image, in `-tau...tau`.
    static func tanTriggs(_ image: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [Double] {
        let gammaCorrected = image.map { pow(Double($0), gamma) }
        let inner = gaussian(gammaCorrected, width: width, height: height, sigma: sigmaInner)
        let outer = gaussian(gammaCorrected, width: width, height: height, sigma: sigmaOuter)
        var values = zip(inner, outer).map { $0 - $1 }
        let count = Double(values.count)
        let first = pow(values.reduce(0) { $0 + pow(abs($1), alpha) } / count, 1 / alpha)
        if first > 0 { values = values.map { $0 / first } }
        let second = pow(values.reduce(0) { $0 + pow(min(tau, abs($1)), alpha) } / count, 1 / alpha)
        if second > 0 { values = values.map { $0 / second } }
        return values.map { tau * tanh($0 / tau) }
    }

    /// SciPy's `ndimage.gaussian_filter` (truncated at 4 sigma, edges reflected about the pixel edge).
    static func gaussian(_ values: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        let radius = Int(4 * sigma + 0.5)
        var weights = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let sum = weights.reduce(0, +)
        weights = weights.map { $0 / sum }
        func reflect(_ index: Int, _ count: Int) -> Int {
            var i = index
            while i < 0 || i >= count { i = i < 0 ? -i - 1 : 2 * count - i - 1 }
            return i
        }
        var rowsDone = [Double](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var total = 0.0
                for k in -radius...radius { total += weights[k + radius] * values[y * width + reflect(x + k, width)] }
                rowsDone[y * width + x] = total
            }
        }
        var result = [Double](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var total = 0.0
                for k in -radius...radius {
                    total += weights[k + radius] * rowsDone[reflect(y + k, height) * width + x]
                }
                result[y * width + x] = total
            }
        }
        return result
    }
}
