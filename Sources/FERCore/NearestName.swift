/// The known name a mistyped one most likely meant, for "did you mean" hints.
package enum NearestName {
    /// The name among `names` nearest to `name` by edit distance, when it is near enough to be a slip (at most
    /// two edits, and fewer than half of the name's letters); ties go to the alphabetically first.
    package static func closest(to name: String, among names: some Collection<String>) -> String? {
        let scored = names.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= 2 && $0.1 * 2 < max(name.count, 2) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Edit distance: insertions, deletions, substitutions and swaps of two neighbouring letters turning `a`
    /// into `b` (the optimal string alignment distance: `rnu` is one swap from `run`).
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var beforePrevious: [Int] = [], previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                var best = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                if i > 0, j > 0, x == b[j - 1], a[i - 1] == y { best = min(best, beforePrevious[j - 1] + 1) }
                current.append(best)
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
