import Foundation
import Testing

@testable import FERMath

/// The clusterer registry: each method is found by its config name, and
/// each, through the `Clusterer` protocol, recovers well-separated groups
/// and assigns new rows from them.
@Suite struct ClustererRegistryTests {
    private struct Blobs: Decodable {
        var x: [[Double]]
    }

    @Test func namesAreUniqueAndFindTheirMethod() {
        let names = ClusterMethod.allCases.map(\.rawValue)
        #expect(names == ["kmeans", "gmm", "ward"])
        for method in ClusterMethod.allCases { #expect(ClusterMethod(rawValue: method.rawValue) == method) }
        #expect(ClusterMethod(rawValue: "dbscan") == nil)
    }

    @Test(arguments: ClusterMethod.allCases)
    func eachRecoversSeparatedGroups(method: ClusterMethod) throws {
        // Three groups of 50, 40 and 30 rows around centres far apart (the Gaussian mixture's fixture).
        let x = Matrix(try fixture("gaussian_mixture", as: Blobs.self).x)
        let groups = (0..<x.rows).map { Int32($0 < 50 ? 0 : $0 < 90 ? 1 : 2) }
        let fitted = try method.make(clusters: 3, settings: ClustererSettings(restarts: 2, seed: 1)).cluster(x)
        let labels = fitted.clustering.labels
        // Each group is one cluster, apart from at most two rows between groups.
        let agreeing = (0..<3).map { group in
            let members = labels.indices.filter { groups[$0] == group }.map { labels[$0] }
            return Dictionary(grouping: members, by: { $0 }).values.map(\.count).max() ?? 0
        }
        #expect(agreeing.reduce(0, +) >= x.rows - 2, "\(method.rawValue): \(agreeing)")
        #expect(Set(labels).count == 3)
        #expect(fitted.predict(x.selecting(rows: [0, 60, 100])).count == 3)
        #expect((fitted.mixture != nil) == (method == ClusterMethod(GaussianMixture.self)))
        #expect((fitted.tree != nil) == (method == ClusterMethod(WardClustering.self)))
    }
}
