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

    /// The clusterer fitting `clusters` clusters with `settings`.
    init(clusters: Int, settings: ClustererSettings)
    /// Clusters the rows of `x`.
    /// - Throws: `MathError` when the settings cannot work on these rows.
    func cluster(_ x: Matrix) throws -> FittedClusters
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
    package static let summary = "k-means (Lloyd's algorithm from k-means++ starts): each row to its nearest centre"

    package init(clusters: Int, settings: ClustererSettings) {
        self.init(clusters: clusters, restarts: settings.restarts, seed: settings.seed)
    }

    package func cluster(_ x: Matrix) throws -> FittedClusters {
        FittedClusters(clustering: try fit(x))
    }
}

extension GaussianMixture: Clusterer {
    package static let name = "gmm"
    package static let title = "Gaussian mixture"
    package static let summary =
        "a Gaussian mixture fitted by EM from k-means++ starts: each row to its most probable component"

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
        "agglomerative clustering with Ward's linkage (exact up to 20,000 rows): new rows to the nearest cluster mean"

    package init(clusters: Int, settings: ClustererSettings) {
        self.init(clusters: clusters)
    }

    package func cluster(_ x: Matrix) throws -> FittedClusters {
        let fitted = try fit(x)
        return FittedClusters(clustering: fitted.clustering, tree: fitted.tree)
    }
}
