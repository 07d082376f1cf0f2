import FERData
import FERFeatures
import Yams

extension ConfigSchema {
    /// A config before any key is read: each field is set by its key (to the key's default when the file leaves
    /// it out).
    private static let unread = ExperimentConfig(
        name: "", seed: 0,
        dataset: .init(
            path: "", shownPath: "", width: nil, height: nil, labels: nil, syntheticCount: 0, syntheticSeed: 0),
        preprocessing: .init(perClass: nil, sampling: .first, scaling: .minMaxPerImage, lighting: .none, seed: 0),
        split: .init(method: .auto, testFraction: 0, testUsage: [], seed: 0),
        models: .init(
            features: .pixels, whiten: false, reducers: [], final: .pca, components: 0, clusters: nil, method: .kmeans,
            covariance: .full, restarts: 0, seed: 0),
        grid: .init(enabled: false, components: 0...0, clusters: 0...0, restarts: 0),
        clusterMap: .init(method: .hungarian, manual: []),
        images: .init(nearest: 0, random: 0, samplesPerClass: 0, explorer: 0),
        figures: .init(
            format: .png, scale: 0, screeComponents: 0, eigenfaces: 0, pointAlpha: 0, pointSize: 0, embedding: .none,
            tsnePerplexity: 0, tsneSeed: 0),
        features: .init(
            hog: HOG(), lbp: LBP(), landmarks: .init(model: "", upscale: 0, inset: 0, face: .crop),
            blocks: .init(landmarks: 0, alignedHOG: 0), compare: []),
        stability: .init(seeds: 0, folds: 0), silhouette: .init(sample: nil, repeats: 0),
        report: .init(paper: .a4, pdf: true, date: nil, templates: nil), sweep: Sweep(axes: []))

    /// Reads every key of the schema from `root` (a parsed config file), in order; a key the file leaves out
    /// takes its default, and a key the schema does not know is refused when its section is done.
    static func read(_ root: Node, file: String, defaultName: String) throws -> ExperimentConfig {
        var config = unread
        config.name = defaultName
        var sections = OpenSections(root: try ConfigSection(root, path: "", file: file))
        for key in keys {
            try sections.open(key.section)
            try sections.withInnermost { try key.read(&$0, &config) }
        }
        try sections.closeAll()
        config.dataset.shownPath = ExperimentConfig.DatasetSection.shown(config.dataset.path)
        config.features.shownFile = config.features.file
        // The final reducer is always fitted; each reducer once, in the order given.
        if !config.models.reducers.contains(config.models.final) { config.models.reducers.append(config.models.final) }
        config.models.reducers = config.models.reducers.reduce(into: []) { unique, reducer in
            if !unique.contains(reducer) { unique.append(reducer) }
        }
        return config
    }

    /// Every parameter of `config` by its key path, as text.
    static func flattened(_ config: ExperimentConfig) -> [String: String] {
        var values: [String: String] = [:]
        for key in keys where !groups.contains(where: { $0.value.flatten != nil && key.section == $0.key }) {
            values.merge(key.flatten(config)) { first, _ in first }
        }
        for (path, group) in groups {
            if let flatten = group.flatten { values[path] = flatten(config) }
        }
        return values
    }
}

/// The sections being read, outermost first: a section is finished (its
/// unknown keys refused) as soon as the schema moves past its keys.
private struct OpenSections {
    private var stack: [(path: String, section: ConfigSection)]

    init(root: ConfigSection) {
        stack = [("", root)]
    }

    /// Makes `path` the innermost open section, finishing the sections that are not on its way.
    mutating func open(_ path: String) throws {
        while let last = stack.last, !(path == last.path || last.path.isEmpty || path.hasPrefix(last.path + ".")) {
            try close()
        }
        guard let current = stack.last?.path, current != path else { return }
        let rest = path.dropFirst(current.isEmpty ? 0 : current.count + 1)
        for name in rest.split(separator: ".") {
            let child = try withInnermost { try $0.section(String(name)) }
            stack.append((ConfigSection.join(stack.last?.path ?? "", String(name)), child))
        }
    }

    /// Runs `body` on the innermost open section.
    mutating func withInnermost<Result>(_ body: (inout ConfigSection) throws -> Result) throws -> Result {
        try body(&stack[stack.count - 1].section)
    }

    /// Finishes every open section, innermost first.
    mutating func closeAll() throws {
        while !stack.isEmpty { try close() }
    }

    private mutating func close() throws {
        try stack.removeLast().section.finish()
    }
}
