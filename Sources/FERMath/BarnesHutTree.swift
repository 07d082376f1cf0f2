import FERCore

/// A quadtree over points in the plane, for t-SNE's repulsive forces by the
/// Barnes-Hut approximation (van der Maaten 2014): a cell far enough from a
/// point, its side less than `angle` times its distance, acts as one point
/// of its members' mass at their centre. Nodes are stored depth first, each
/// with the index of the node after its subtree, so a point's walk is one
/// loop over an array with no stack.
struct BarnesHutTree {
    /// Points a leaf holds at most, unless they coincide.
    static let leafSize = 4

    /// One cell: its members' centre of mass and count, the square of its side, the node after its
    /// subtree, and its members' range in `order` when it is a leaf (an empty range otherwise).
    struct Node {
        var x: Double, y: Double, mass: Double, side2: Double
        var next: Int32, leafStart: Int32, leafEnd: Int32
    }

    private(set) var nodes: [Node] = []
    /// The points in the order the tree holds them: nearby points are near each other.
    private(set) var order: [Int32]

    /// The tree of `positions` (x and y of each point, interleaved).
    init(positions: UnsafeBufferPointer<Double>) {
        let n = positions.count / 2
        order = (0..<n).map(Int32.init)
        guard n > 0 else { return }
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, positions[2 * i])
            maxX = max(maxX, positions[2 * i])
            minY = min(minY, positions[2 * i + 1])
            maxY = max(maxY, positions[2 * i + 1])
        }
        let half = max(maxX - minX, maxY - minY, 1e-12) / 2 * (1 + 1e-9)
        nodes.reserveCapacity(n + n / 2 + 8)
        var scratch = [Int32](repeating: 0, count: n)
        build(
            positions, range: 0..<n, midX: (minX + maxX) / 2, midY: (minY + maxY) / 2, half: half,
            scratch: &scratch)
    }

    /// Appends the subtree of the points `order[range]` in the square around (`midX`, `midY`).
    private mutating func build(
        _ positions: UnsafeBufferPointer<Double>, range: Range<Int>, midX: Double, midY: Double, half: Double,
        scratch: inout [Int32]
    ) {
        let node = nodes.count
        var sumX = 0.0, sumY = 0.0
        for slot in range {
            let point = Int(order[slot])
            sumX += positions[2 * point]
            sumY += positions[2 * point + 1]
        }
        let count = Double(range.count)
        let isLeaf = range.count <= Self.leafSize || half < 1e-12
        nodes.append(
            Node(
                x: sumX / count, y: sumY / count, mass: count, side2: 4 * half * half, next: 0,
                leafStart: isLeaf ? Int32(range.lowerBound) : 0, leafEnd: isLeaf ? Int32(range.upperBound) : 0))
        if !isLeaf {
            // Partition the range into the four quadrants, keeping the order within each.
            func quadrant(_ point: Int32) -> Int {
                (positions[2 * Int(point)] >= midX ? 1 : 0) + (positions[2 * Int(point) + 1] >= midY ? 2 : 0)
            }
            var quadrants = [Int](repeating: 0, count: 4)
            for slot in range { quadrants[quadrant(order[slot])] += 1 }
            var starts = [range.lowerBound, 0, 0, 0]
            for q in 1..<4 { starts[q] = starts[q - 1] + quadrants[q - 1] }
            var fill = starts
            for slot in range {
                let q = quadrant(order[slot])
                scratch[fill[q]] = order[slot]
                fill[q] += 1
            }
            for slot in range { order[slot] = scratch[slot] }
            let quarter = half / 2
            for q in 0..<4 where quadrants[q] > 0 {
                build(
                    positions, range: starts[q]..<(starts[q] + quadrants[q]),
                    midX: midX + (q & 1 == 1 ? quarter : -quarter), midY: midY + (q & 2 == 2 ? quarter : -quarter),
                    half: quarter, scratch: &scratch)
            }
        }
        nodes[node].next = Int32(nodes.count)
    }

    /// The repulsive force on `point` at (`x`, `y`), unnormalised (the sum of `q²(yᵢ - yⱼ)` over the
    /// others), and its share of the normaliser (the sum of `q`), where `q = 1 / (1 + distance²)`.
    func repulsion(
        of point: Int32, positions: UnsafePointer<Double>, angle: Double
    )
        -> (x: Double, y: Double, sum: Double)
    {
        let angle2 = angle * angle, x = positions[2 * Int(point)], y = positions[2 * Int(point) + 1]
        var forceX = 0.0, forceY = 0.0, sum = 0.0
        nodes.withUnsafeBufferPointer { nodes in
            order.withUnsafeBufferPointer { order in
                var index = 0
                while index < nodes.count {
                    let node = nodes[index]
                    let dx = x - node.x, dy = y - node.y
                    let distance2 = dx * dx + dy * dy
                    if node.side2 < angle2 * distance2 {
                        let q = 1 / (1 + distance2), weight = node.mass * q
                        sum += weight
                        forceX += weight * q * dx
                        forceY += weight * q * dy
                        index = Int(node.next)
                    } else if node.leafEnd > node.leafStart {
                        for slot in Int(node.leafStart)..<Int(node.leafEnd) where order[slot] != point {
                            let other = Int(order[slot])
                            let ox = x - positions[2 * other], oy = y - positions[2 * other + 1]
                            let q = 1 / (1 + ox * ox + oy * oy)
                            sum += q
                            forceX += q * q * ox
                            forceY += q * q * oy
                        }
                        index = Int(node.next)
                    } else {
                        index += 1
                    }
                }
            }
        }
        return (forceX, forceY, sum)
    }
}
