import FERExperiment
import FERFigures
import FERStages

/// One figure of the report: its page, file name and the stage that draws it.
/// Its alt text and caption come from `Templates/captions/<name>.md.mustache`.
package struct FigureStage: Sendable {
    /// File name without extension, unique in the site.
    package let name: String
    /// The page that shows it (its link key).
    package let page: String
    /// The drawn file and its caption values.
    package let output: StageOutput<FigureFile>
}

/// What a figure's draw function returns: the figure, and the values its
/// caption template reads (formatted texts, and flags it chooses words by).
struct FigureDrawing {
    let figure: any Figure
    var texts: [String: String] = [:]
    var flags: [String: Bool] = [:]
}

/// What every figure stage reads besides its own settings: the file format.
struct FigureParameters<Settings: StageParameters>: StageParameters {
    var format: FigureFormat
    var settings: Settings
}

/// Collects the figure stages of the report's pages. Each figure is a
/// sealed stage: its draw function receives its settings and its inputs'
/// values and nothing else, and the stage keys on both, the format and the
/// data's provenance.
final class FigureList {
    /// The experiment whose stages the figures draw from.
    let experiment: Experiment
    /// The page being declared.
    var page = ""
    private let format: FigureFormat
    private(set) var figures: [FigureStage] = []

    init(experiment: Experiment) {
        self.experiment = experiment
        let options = experiment.config.figures
        format = options.format == .svg ? .svg : .png(scale: options.scale)
    }

    /// Declares figure `name`, drawn by the static function `draw` from `settings` and the values of `inputs`.
    func add<Settings: StageParameters, each Input: CacheCodable>(
        _ name: String, settings: Settings, inputs: repeat StageOutput<each Input>,
        draw: @escaping @Sendable (Settings, repeat each Input) throws -> FigureDrawing
    ) {
        let output = experiment.runner.stage(
            "figure \(name)", version: 7, parameters: parameters(settings), inputs: repeat each inputs,
            compute: { (parameters: FigureParameters<Settings>, input: repeat each Input) in
                try Self.file(try draw(parameters.settings, repeat each input), parameters)
            })
        figures.append(FigureStage(name: name, page: page, output: output))
    }

    /// Declares figure `name` drawn from lists of inputs (one per compared setting).
    func add<Settings: StageParameters, First: CacheCodable, Second: CacheCodable>(
        _ name: String, settings: Settings, lists first: [StageOutput<First>],
        _ second: [StageOutput<Second>], draw: @escaping @Sendable (Settings, [First], [Second]) throws -> FigureDrawing
    ) {
        let output = experiment.runner.stage(
            "figure \(name)", version: 7, parameters: parameters(settings), lists: first, second,
            compute: { (parameters: FigureParameters<Settings>, first: [First], second: [Second]) in
                try Self.file(try draw(parameters.settings, first, second), parameters)
            })
        figures.append(FigureStage(name: name, page: page, output: output))
    }

    private func parameters<Settings>(_ settings: Settings) -> FigureParameters<Settings> {
        FigureParameters(format: format, settings: settings)
    }

    /// The drawn figure's file and its caption values.
    private static func file<Settings>(
        _ drawing: FigureDrawing, _ parameters: FigureParameters<Settings>
    ) throws -> FigureFile {
        FigureFile(
            bytes: try drawing.figure.render(parameters.format), texts: drawing.texts, flags: drawing.flags,
            width: drawing.figure.width, height: drawing.figure.height)
    }
}

/// A figure setting of one number (how many images, components, ...).
struct Count: StageParameters {
    var count: Int
}
