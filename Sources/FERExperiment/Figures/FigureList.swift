import FERCore
import FERFigures

/// Collects an experiment's figure stages: each figure is a cached stage
/// keyed by its name, the figure options and its inputs, with a caption that
/// names where its data came from.
final class FigureList {
    let experiment: Experiment
    private let format: FigureFormat
    private let formatParameters: [(String, String)]
    private let source: String
    private(set) var figures: [FigureStage] = []

    init(experiment: Experiment) {
        self.experiment = experiment
        let config = experiment.config, options = config.figures
        format = options.format == .svg ? .svg : .png(scale: options.scale)
        formatParameters = [("format", options.format.rawValue), ("scale", "\(options.scale)")]
        source =
            config.dataset.isSynthetic
            ? "built-in synthetic faces (\(DecimalText.format(Double(config.dataset.syntheticCount), decimals: 0)), seed \(config.dataset.syntheticSeed))"
            : "\(config.dataset.path), content \(experiment.dataFingerprint)"
    }

    /// Declares figure `name` on `page`, drawn by `draw` once `inputs` are ready.
    func add(
        _ name: String, _ page: ReportPage, _ title: String, version: Int = 1, parameters: [(String, String)] = [],
        inputs: [any StageKeyed], caption: @escaping () throws -> String, draw: @escaping () throws -> any Figure
    ) {
        let format = self.format
        let output = experiment.runner.stage(
            "figure \(name)", version: version, parameters: formatParameters + parameters,
            inputs: inputs
        ) {
            FigureFile(bytes: try draw().render(format), caption: try caption())
        }
        figures.append(FigureStage(name: name, page: page, title: title, output: output))
    }

    /// A caption: `details`, then the data the figure came from.
    func provenance(_ details: String) -> String {
        "\(details). Data: \(source)."
    }
}
