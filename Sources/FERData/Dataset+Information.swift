extension Dataset {
    /// How much the images can tell apart: how many differ from each other,
    /// and how many are a single gray level (which per-image scaling makes
    /// all alike). Clusters of identical images mean nothing.
    package struct ImageVariety: Codable, Equatable, Sendable {
        /// Images that differ from every other image in at least one pixel.
        package var distinct: Int
        /// Images whose pixels all have the same value.
        package var constant: Int
    }

    /// Counts the distinct and the constant images (exactly: equal hashes are compared byte by byte).
    package func imageVariety() -> ImageVariety {
        let size = pixelsPerImage
        return pixels.withUnsafeBytes { raw in
            func bytes(_ row: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: raw[(row * size)..<((row + 1) * size)])
            }
            var byHash: [Int: [Int]] = [:]
            var constant = 0
            for row in 0..<count {
                let image = bytes(row)
                if let first = image.first, !image.contains(where: { $0 != first }) { constant += 1 }
                var hasher = Hasher()
                hasher.combine(bytes: image)
                byHash[hasher.finalize(), default: []].append(row)
            }
            var distinct = 0
            for rows in byHash.values {
                var representatives: [Int] = []
                for row in rows where !representatives.contains(where: { bytes($0).elementsEqual(bytes(row)) }) {
                    representatives.append(row)
                }
                distinct += representatives.count
            }
            return ImageVariety(distinct: distinct, constant: constant)
        }
    }
}
