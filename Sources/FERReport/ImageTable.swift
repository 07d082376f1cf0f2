import FERCore
import FERData
import FERExperiment
import Foundation

/// `images.csv`: one row per image the run used, for pandas, R or a
/// spreadsheet: its row (and file, for an image folder), true label, usage,
/// split, group (when the split keeps groups together), cluster, the cluster's label, silhouette (training rows the
/// silhouette scored), distance to its centre, the final model's first
/// components, and with the t-SNE view the coordinates of the training
/// images it shows.
enum ImageTable {
    /// Components written per image, at most.
    static let components = 10

    /// The table of `experiment`'s images; `files` names each row's file, for an image folder.
    static func csv(_ experiment: Experiment, files: [String]?) throws -> [UInt8] {
        let dataset = try experiment.dataset.get(), split = try experiment.sample.get()
        let final = experiment.finalModel
        let reduction = try final.reduction.get(), fit = try final.clusters.get()
        let metrics = try final.metrics.get(), silhouette = try final.silhouette.get()
        let clustered = experiment.config.models.components
        let shown = min(Self.components, reduction.train.columns)
        let groups = split.groups.isGrouped ? split.groups : nil
        let tsne = try experiment.tsne?.get()
        let tsnePoints = {
            var points = [Int?](repeating: nil, count: split.train.count)
            for (point, position) in (tsne?.positions ?? []).enumerated() { points[position] = point }
            return points
        }()
        let silhouettes = {
            var scores = [Double?](repeating: nil, count: split.train.count)
            for (index, position) in (silhouette.sampledRows ?? Array(split.train.indices)).enumerated() {
                scores[position] = silhouette.samples[index]
            }
            return scores
        }()
        // Written straight into the file's bytes: a million rows held as lines first would take several
        // times their size.
        var header = Lines()
        for name in ["row"] + (files == nil ? [] : ["file"])
            + ["label", "usage", "split"] + (groups == nil ? [] : ["group"])
            + ["cluster", "cluster_label", "silhouette", "distance"]
            + (0..<shown).map({ "component_\($0 + 1)" }) + (tsne == nil ? [] : ["tsne_1", "tsne_2"])
        {
            header.text(name)
        }
        header.endLine()
        var table = header.bytes
        for (part, rows, scores, clusters) in [
            ("train", split.train, reduction.train, fit.clustering.labels),
            ("held-out", split.test, reduction.test, fit.testLabels),
        ] {
            let distances = fit.clustering.distances(of: scores.leadingColumns(clustered), labels: clusters)
            // Blocks of rows formatted on all cores, joined in row order.
            let blocks = ParallelLoop.mapChunks(count: rows.count, chunks: min(64, max(1, rows.count / 1024))) {
                _, range in
                var lines = Lines()
                for position in range {
                    let row = rows[position], cluster = Int(clusters[position])
                    let usage = dataset.usage.map { dataset.usageNames[Int($0[row])] } ?? ""
                    lines.text("\(row)")
                    if let files { lines.text(files[row]) }
                    lines.text(dataset.labelNames[Int(dataset.labels[row])])
                    lines.text(usage)
                    lines.text(part)
                    if let groups { lines.text(groups.names[Int(groups.codes[row])]) }
                    lines.text("\(cluster)")
                    lines.text(metrics.map.labelOf[cluster].map { dataset.labelNames[$0] } ?? "")
                    lines.number(part == "train" ? silhouettes[position] : nil)
                    lines.number(distances[position])
                    for column in 0..<shown { lines.number(Double(scores[position, column])) }
                    if let tsne {
                        let point = part == "train" ? tsnePoints[position] : nil
                        for column in 0..<2 { lines.number(point.map { Double(tsne.coordinates[$0, column]) }) }
                    }
                    lines.endLine()
                }
                return lines.bytes
            }
            for block in blocks { table += block }
        }
        return table
    }

    /// Lines of the table written straight into bytes: fields separated by commas, each quoted where it needs
    /// to be, numbers with six decimals (as `DecimalText` writes them) and no string made for them.
    private struct Lines {
        var bytes: [UInt8] = []
        private var atStart = true

        mutating func text(_ cell: String) {
            separate()
            bytes += CSVText.field(cell).utf8
        }

        /// `value` with six decimals, quoted when its thousands separators need it; an empty field for nil.
        mutating func number(_ value: Double?) {
            separate()
            guard let value else { return }
            let start = bytes.count
            DecimalText.append(value, decimals: 6, to: &bytes)
            if bytes[start...].contains(UInt8(ascii: ",")) {
                bytes.insert(UInt8(ascii: "\""), at: start)
                bytes.append(UInt8(ascii: "\""))
            }
        }

        mutating func endLine() {
            bytes.append(UInt8(ascii: "\n"))
            atStart = true
        }

        private mutating func separate() {
            if !atStart { bytes.append(UInt8(ascii: ",")) }
            atStart = false
        }
    }
}
