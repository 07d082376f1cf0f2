import FERExperiment
import FERMath

/// What captions say about a clusterer: its name and settings as texts
/// (`method`, `restarts`, `seed`, `covariance`), and flags that tell the
/// methods apart (`is_kmeans`, `is_gmm`, `is_ward`) and say whether it has
/// a seed (`seeded`).
struct ClustererCaption {
    let texts: [String: String]
    let flags: [String: Bool]

    init(_ clusterer: ClustererChoice) {
        texts = [
            "method": clusterer.method.title, "restarts": clusterer.restarts.map { "\($0)" } ?? "",
            "seed": clusterer.seed.map { "\($0)" } ?? "", "covariance": clusterer.covariance?.rawValue ?? "",
        ]
        var flags = Dictionary(
            uniqueKeysWithValues: ClusterMethod.allCases.map {
                ("is_" + TemplateChoice.key($0), $0 == clusterer.method)
            })
        flags["seeded"] = clusterer.isSeeded
        self.flags = flags
    }
}

extension FigureDrawing {
    /// The drawing with `caption`'s texts and flags added to its own.
    func describing(_ caption: ClustererCaption) -> FigureDrawing {
        var drawing = self
        drawing.texts.merge(caption.texts) { own, _ in own }
        drawing.flags.merge(caption.flags) { own, _ in own }
        return drawing
    }
}
