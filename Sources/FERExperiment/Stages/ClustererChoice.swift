import FERMath

/// The clusterer a stage fits, with only the settings its method reads: what
/// cluster, silhouette, stability and grid stages hold in their keys, so that
/// a setting the method ignores (a mixture's covariance under k-means) never
/// refits it.
package struct ClustererChoice: Sendable, Hashable, Codable {
    /// The method.
    package var method: ClusterMethod
    /// Restarts, the best fit kept (`nil` for a method without restarts).
    package var restarts: Int?
    /// Seed of the fit (`nil` for a deterministic method).
    package var seed: UInt64?
    /// A mixture's covariance shape (`nil` for other methods).
    package var covariance: GaussianMixture.Covariance?

    /// `method` with those of `restarts`, `seed` and `covariance` it reads.
    package init(method: ClusterMethod, restarts: Int, seed: UInt64, covariance: GaussianMixture.Covariance) {
        self.method = method
        let reads = method.type.reads
        self.restarts = reads.restarts ? restarts : nil
        self.seed = reads.seed ? seed : nil
        self.covariance = reads.covariance ? covariance : nil
    }

    /// The same clusterer with another seed (reruns of a seeded method).
    package func seeded(_ seed: UInt64) -> ClustererChoice {
        var copy = self
        if copy.seed != nil { copy.seed = seed }
        return copy
    }

    /// Whether reruns with other seeds can differ.
    package var isSeeded: Bool { seed != nil }

    /// The settings the clusterer is made with (what it does not read at their defaults).
    package var settings: ClustererSettings {
        ClustererSettings(restarts: restarts ?? 1, seed: seed ?? 0, covariance: covariance ?? .full)
    }

    /// The clusterer fitting `clusters` clusters.
    package func make(clusters: Int) -> any Clusterer {
        method.make(clusters: clusters, settings: settings)
    }
}

extension ExperimentConfig.ModelsSection {
    /// The clusterer `method` with these models' settings, restarting `restarts` times (the models' own by default).
    package func clusterer(_ method: ClusterMethod, restarts: Int? = nil) -> ClustererChoice {
        ClustererChoice(method: method, restarts: restarts ?? self.restarts, seed: seed, covariance: covariance)
    }
}
