import FERCore

/// A way of grouping rows into a given number of clusters: a plug-in of
/// `Clusterers`. It says what a config calls it and how pages name it, and
/// fits on the training rows, giving each its cluster, each cluster its
/// centre, and a rule that assigns new rows (`FittedClusters`).
package protocol Clusterer: Sendable {
    /// What a config calls it, and model files store: `kmeans`.
    static var name: String { get }
    /// How pages name it: `k-means`.
    static var title: String { get }
    /// One line on what it does, for the table of keys.
    static var summary: String { get }
    /// Which of `ClustererSettings` it reads.
    static var reads: ClustererSettings.Reads { get }

    /// The clusterer fitting `clusters` clusters with `settings`.
    init(clusters: Int, settings: ClustererSettings)
    /// Clusters the rows of `x`.
    /// - Throws: `MathError` when the settings cannot work on these rows.
    func cluster(_ x: Matrix) throws -> FittedClusters
    /// Clusters the rows of `x` into each of `counts` clusters (a grid's cluster counts), sharing whatever work
    /// the fits have in common.
    static func cluster(_ x: Matrix, counts: [Int], settings: ClustererSettings) throws -> [FittedClusters]
}

extension Clusterer {
    /// One fit per count, each on its own.
    package static func cluster(_ x: Matrix, counts: [Int], settings: ClustererSettings) throws -> [FittedClusters] {
        try counts.map { try Self(clusters: $0, settings: settings).cluster(x) }
    }
}

/// The settings clusterers share; each reads those it uses.
package struct ClustererSettings: Sendable, Hashable, Codable {
    /// Independent starts, the best kept (k-means, Gaussian mixtures).
    package var restarts: Int
    /// Seed of the whole fit.
    package var seed: UInt64
    /// Each mixture component's covariance shape (Gaussian mixtures).
    package var covariance: GaussianMixture.Covariance

    package init(restarts: Int, seed: UInt64, covariance: GaussianMixture.Covariance = .full) {
        self.restarts = restarts
        self.seed = seed
        self.covariance = covariance
    }

    /// Which settings a clusterer reads: what a cached fit's key must hold, and nothing more.
    package struct Reads: Sendable {
        /// `restarts`.
        package var restarts: Bool
        /// `seed`.
        package var seed: Bool
        /// `covariance`.
        package var covariance: Bool
    }
}

/// A fitted clustering: the fitted rows' clusters with each cluster's
/// centre, and how a new row is assigned: by the mixture's posterior when
/// there is one, else to the nearest centre.
package struct FittedClusters: Sendable, Equatable {
    /// Each fitted row's cluster and each cluster's centre.
    package let clustering: Clustering
    /// The Gaussian mixture that assigns new rows, if the clusters are one's components.
    package let mixture: FittedGaussianMixture?
    /// The merge tree, if the clusters cut one.
    package let tree: WardTree?

    package init(clustering: Clustering, mixture: FittedGaussianMixture? = nil, tree: WardTree? = nil) {
        self.clustering = clustering
        self.mixture = mixture
        self.tree = tree
    }

    /// The cluster of each row of `x`.
    package func predict(_ x: Matrix) -> [Int32] {
        mixture?.predict(x) ?? clustering.predict(x)
    }
}

/// Every clusterer FERLab knows: the one list a new clusterer is added to.
package enum Clusterers {
    /// The clusterers, in the order configs list them.
    package static let all: [any Clusterer.Type] = [KMeans.self, GaussianMixture.self, WardClustering.self]
}

/// A clusterer by its config name, as configs, stage settings and model files hold it.
package struct ClusterMethod: RegisteredChoice {
    /// The clusterer's type.
    package let type: any Clusterer.Type

    /// The method of `type`.
    package init(_ type: any Clusterer.Type) {
        self.type = type
    }

    package static var registry: [any Clusterer.Type] { Clusterers.all }
    package static func name(of plugin: any Clusterer.Type) -> String { plugin.name }

    /// What a config calls it.
    package var rawValue: String { type.name }
    /// How pages name it.
    package var title: String { type.title }

    /// The clusterer fitting `clusters` clusters with `settings`.
    package func make(clusters: Int, settings: ClustererSettings) -> any Clusterer {
        type.init(clusters: clusters, settings: settings)
    }

    /// k-means, the default.
    package static let kmeans = ClusterMethod(KMeans.self)
}

extension KMeans: Clusterer {
    package static let name = "kmeans"
    package static let title = "k-means"
    package static let summary = "k-means: Lloyd's algorithm from k-means++ starts, each row to its nearest centre"
    package static let reads = ClustererSettings.Reads(restarts: true, seed: true, covariance: false)

    package init(clusters: Int, settings: ClustererSettings) {
        self.init(clusters: clusters, restarts: settings.restarts, seed: settings.seed)
    }

    package func cluster(_ x: Matrix) throws -> FittedClusters {
        FittedClusters(clustering: try fit(x))
    }

    /// The fits side by side on one prepared copy of `x`: no core idles while another finishes a fit's last
    /// restart.
    package static func cluster(_ x: Matrix, counts: [Int], settings: ClustererSettings) throws -> [FittedClusters] {
        let prepared = KMeans.Prepared(x, startSample: KMeans.defaultStartSample, seed: settings.seed)
        let outcomes = ParallelLoop.mapChunks(count: counts.count, chunks: counts.count) { index, _ in
            Result { () throws -> Clustering in
                try KMeans(clusters: counts[index], settings: settings).fit(prepared)
            }
        }
        return try outcomes.map { FittedClusters(clustering: try $0.get()) }
    }
}

extension GaussianMixture: Clusterer {
    package static let name = "gmm"
    package static let title = "Gaussian mixture"
    package static let summary =
        "a Gaussian mixture fitted by EM from k-means++ starts, each row to its most probable component"
    package static let reads = ClustererSettings.Reads(restarts: true, seed: true, covariance: true)

    package init(clusters: Int, settings: ClustererSettings) {
        self.init(
            components: clusters, covariance: settings.covariance, restarts: settings.restarts, seed: settings.seed)
    }

    package func cluster(_ x: Matrix) throws -> FittedClusters {
        let mixture = try fit(x)
        let centres = Matrix(rows: mixture.components, columns: x.columns, values: mixture.means.map(Float.init))
        return FittedClusters(
            clustering: Clustering(x, labels: mixture.predict(x), centres: centres, iterations: mixture.iterations),
            mixture: mixture)
    }
}

extension WardClustering: Clusterer {
    package static let name = "ward"
    package static let title = "Ward clustering"
    package static let summary =
        "agglomerative clustering with Ward's linkage, exact up to 20,000 training rows, new rows to the nearest cluster mean"
    package static let reads = ClustererSettings.Reads(restarts: false, seed: false, covariance: false)

    package init(clusters: Int, settings: ClustererSettings) {
        self.init(clusters: clusters)
    }

    package func cluster(_ x: Matrix) throws -> FittedClusters {
        let fitted = try fit(x)
        return FittedClusters(clustering: fitted.clustering, tree: fitted.tree)
    }

    /// One merge tree, cut at each count.
    package static func cluster(_ x: Matrix, counts: [Int], settings: ClustererSettings) throws -> [FittedClusters] {
        guard let first = counts.first else { return [] }
        let tree = try WardClustering(clusters: first).fit(x).tree
        return try counts.map { count in
            try WardClustering(clusters: count).check(rows: x.rows)
            return FittedClusters(
                clustering: Clustering(means: x, labels: tree.labels(clusters: count), clusters: count), tree: tree)
        }
    }
}
