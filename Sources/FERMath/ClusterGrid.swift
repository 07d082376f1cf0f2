import FERCore

/// The notebooks' grid search: a clusterer (k-means in the notebooks) and
/// the silhouette for every (components, clusters) pair.
///
/// Principal components are nested (the first 2 of a 5-component fit are the
/// 2-component fit), so the caller reduces once to the largest count and the
/// grid takes leading columns. For each component count, the fits of all
/// cluster counts share what they can (`Clusterer.cluster(_:counts:settings:)`),
/// and their silhouettes share one pass over the point pairs.
package struct ClusterGrid: Sendable {
    /// One grid point.
    package struct Cell: Sendable, Equatable, Codable {
        /// Components kept.
        package var components: Int
        /// Clusters fitted.
        package var clusters: Int
        /// Mean silhouette of the clusters.
        package var silhouette: Double
        /// Sum of squared distances of the rows to their cluster's centre (k-means inertia).
        package var inertia: Double
        /// The Bayesian information criterion of a mixture's fit (`nil` for other clusterers).
        package var bic: Double? = nil
    }

    /// Component counts to try.
    package var components: ClosedRange<Int>
    /// Cluster counts to try.
    package var clusters: ClosedRange<Int>
    /// The clusterer.
    package var clusterer: any Clusterer.Type
    /// Its settings.
    package var settings: ClustererSettings
    /// When silhouettes are estimated on a sample of the rows (the grid uses the first sample only).
    package var sampling: SilhouetteSampling

    /// Configures a grid of `clusterer` with `settings`.
    package init(
        components: ClosedRange<Int>, clusters: ClosedRange<Int>, clusterer: any Clusterer.Type = KMeans.self,
        settings: ClustererSettings, sampling: SilhouetteSampling = .exact
    ) {
        self.components = components
        self.clusters = clusters
        self.clusterer = clusterer
        self.settings = settings
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
            let fits = try clusterer.cluster(points, counts: Array(clusters), settings: settings)
            let rows = sampling.samples(points.rows) ? sampling.rows(0, of: points.rows) : nil
            let labelings = zip(clusters, fits).map { k, fit in
                Silhouette.Labeling(
                    labels: rows.map { $0.map { fit.clustering.labels[$0] } } ?? fit.clustering.labels, clusters: k)
            }
            let silhouettes = try Silhouette.scores(
                rows.map { points.selecting(rows: $0) } ?? points, labelings: labelings)
            for (index, k) in clusters.enumerated() {
                cells.append(
                    Cell(
                        components: count, clusters: k, silhouette: silhouettes[index],
                        inertia: fits[index].clustering.inertia, bic: fits[index].mixture?.bic(points)))
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
