/// A small, fast experiment on the built-in faces, shared by the tests that run whole experiments.
package enum TinyExperiment {
    /// Its config file's text. The write-up is not printed (`report.pdf: false`): the tests that check the PDF
    /// turn it on.
    package static let config = config(report: "pdf: false")

    /// Its config file's text with `report` as its report section's settings (`pdf: true, paper: letter`).
    package static func config(report: String) -> String {
        """
        name: tiny
        dataset: {synthetic: {count: 210}}
        models: {clusters: 4, restarts: 2}
        grid: {components: [2, 3], clusters: [3, 4], restarts: 2}
        images: {nearest: 3, random: 2}
        figures: {scale: 1, scree_components: 5, eigenfaces: 3}
        report: {\(report)}

        """
    }
}
