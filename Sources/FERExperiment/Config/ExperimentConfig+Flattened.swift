extension ExperimentConfig {
    /// Every parameter by its key path in the config file (`models.clusters`),
    /// as text: what a run records and compares with the previous run.
    public var flattened: [String: String] {
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        func range(_ values: ClosedRange<Int>) -> String { "[\(values.lowerBound), \(values.upperBound)]" }
        var values: [String: String] = [
            "name": name, "seed": "\(seed)",
            "dataset.path": dataset.path, "dataset.width": dataset.width.map(String.init) ?? "null",
            "dataset.height": dataset.height.map(String.init) ?? "null",
            "dataset.labels": dataset.labels.map(list) ?? "null",
            "preprocessing.per_class": preprocessing.perClass.map(String.init) ?? "null",
            "preprocessing.sampling": preprocessing.sampling.rawValue,
            "preprocessing.scaling": preprocessing.scaling.rawValue,
            "preprocessing.lighting": preprocessing.lighting.rawValue,
            "preprocessing.export_subset": preprocessing.exportSubset ?? "false",
            "preprocessing.seed": "\(preprocessing.seed)",
            "split.method": split.method.rawValue, "split.test_fraction": "\(split.testFraction)",
            "split.test_usage": list(split.testUsage), "split.seed": "\(split.seed)",
            "split.groups": split.groups?.written ?? "null",
            "models.reducers": list(models.reducers.map(\.rawValue)), "models.final": models.final.rawValue,
            "models.features": models.features.rawValue, "models.whiten": "\(models.whiten)",
            "models.components": "\(models.components)", "models.clusters": models.clusters.map(String.init) ?? "null",
            "models.restarts": "\(models.restarts)", "models.seed": "\(models.seed)",
            "grid.enabled": "\(grid.enabled)", "grid.components": range(grid.components),
            "grid.clusters": range(grid.clusters),
            "grid.restarts": "\(grid.restarts)",
            "cluster_map.method": clusterMap.method.rawValue, "cluster_map.manual": list(clusterMap.manual),
            "images.nearest": "\(images.nearest)", "images.random": "\(images.random)",
            "images.samples_per_class": "\(images.samplesPerClass)",
            "images.explorer": "\(images.explorer)",
            "figures.format": figures.format.rawValue, "figures.scale": "\(figures.scale)",
            "figures.scree_components": "\(figures.screeComponents)", "figures.eigenfaces": "\(figures.eigenfaces)",
            "figures.point_alpha": "\(figures.pointAlpha)", "figures.point_size": "\(figures.pointSize)",
            "report.paper": report.paper.rawValue, "report.date": report.date ?? "null",
            "report.templates": report.templates ?? "null",
        ]
        values["features.hog"] =
            "cell \(features.hog.cell), block \(features.hog.block), orientations \(features.hog.orientations), norm \(features.hog.norm.rawValue)"
        values["features.lbp"] = "cell \(features.lbp.cell)"
        values["features.landmarks"] =
            "model \(features.landmarks.model), upscale \(features.landmarks.upscale), inset \(features.landmarks.inset), face \(features.landmarks.face.rawValue)"
        values["features.blocks"] =
            "landmarks \(features.blocks.landmarks), aligned-hog \(features.blocks.alignedHOG)"
        values["features.compare"] = list(features.compare.map(\.title))
        values["stability.seeds"] = "\(stability.seeds)"
        values["stability.folds"] = "\(stability.folds)"
        values["silhouette.sample"] = silhouette.sample.map(String.init) ?? "null"
        values["silhouette.repeats"] = "\(silhouette.repeats)"
        if dataset.isSynthetic {
            values["dataset.synthetic.count"] = "\(dataset.syntheticCount)"
            values["dataset.synthetic.seed"] = "\(dataset.syntheticSeed)"
        }
        return values
    }
}
