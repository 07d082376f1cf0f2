import FERCore

/// The notebooks' grid search: k-means and the exact silhouette for every
/// (components, clusters) pair.
///
/// Principal components are nested (the first 2 of a 5-component fit are the
/// 2-component fit), so the caller reduces once to the largest count and the
/// grid takes leading columns. For each component count, the silhouettes of
/// all cluster counts share one pass over the point pairs.
package struct ClusterGrid: Sendable, Equatable {
    /// One grid point.
    package struct Cell: Sendable, Equatable, Codable {
        /// Components kept.
        package var components: Int
        /// Clusters fitted.
        package var clusters: Int
        /// Mean silhouette of the k-means labels.
        package var silhouette: Double
        /// k-means inertia.
        package var inertia: Double
    }

    /// Component counts to try.
    package var components: ClosedRange<Int>
    /// Cluster counts to try.
    package var clusters: ClosedRange<Int>
    /// k-means settings other than the cluster count.
    package var kmeans: KMeans
    /// When silhouettes are estimated on a sample of the rows (the grid uses the first sample only).
    package var sampling: SilhouetteSampling

    /// Configures a grid; `kmeans.clusters` is replaced by each cluster count.
    package init(
        components: ClosedRange<Int>, clusters: ClosedRange<Int>, kmeans: KMeans, sampling: SilhouetteSampling = .exact
    ) {
        self.components = components
        self.clusters = clusters
        self.kmeans = kmeans
        self.sampling = sampling
    }

    /// Runs the grid on component scores with at least `components.upperBound` columns.
    /// `progress` is called after each component count with the cells so far.
    package func run(on scores: Matrix, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Cell] {
        guard components.lowerBound >= 1, components.upperBound <= scores.columns else {
            throw MathError.invalidParameters("the grid needs 1 to \(scores.columns) components, not \(components)")
        }
        var cells: [Cell] = []
        let total = components.count * clusters.count
        for count in components {
            let points = scores.leadingColumns(count)
            let prepared = KMeans.Prepared(points)
            let counts = Array(clusters), base = kmeans
            // Independent fits side by side: no core idles while another finishes a fit's last restart.
            let outcomes = ParallelLoop.mapChunks(count: counts.count, chunks: counts.count) { index, _ in
                Result { () throws -> Clustering in
                    var model = base
                    model.clusters = counts[index]
                    return try model.fit(prepared)
                }
            }
            let fits = try outcomes.map { try $0.get() }
            let rows = sampling.samples(points.rows) ? sampling.rows(0, of: points.rows) : nil
            let labelings = zip(clusters, fits).map { k, fit in
                Silhouette.Labeling(labels: rows.map { $0.map { fit.labels[$0] } } ?? fit.labels, clusters: k)
            }
            let silhouettes = try Silhouette.scores(
                rows.map { points.selecting(rows: $0) } ?? points, labelings: labelings)
            for (index, k) in clusters.enumerated() {
                cells.append(
                    Cell(components: count, clusters: k, silhouette: silhouettes[index], inertia: fits[index].inertia))
            }
            progress(cells.count, total)
        }
        return cells
    }

    /// The cell with the highest silhouette (the first on ties).
    package static func best(_ cells: [Cell]) -> Cell? {
        cells.reduce(nil) { best, cell in
            guard let best else { return cell }
            return cell.silhouette > best.silhouette ? cell : best
        }
    }
}
