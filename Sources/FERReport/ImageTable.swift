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
        var table: [UInt8] = []
        append(
            ["row"] + (files == nil ? [] : ["file"])
                + ["label", "usage", "split"] + (groups == nil ? [] : ["group"])
                + ["cluster", "cluster_label", "silhouette", "distance"]
                + (0..<shown).map { "component_\($0 + 1)" } + (tsne == nil ? [] : ["tsne_1", "tsne_2"]),
            to: &table)
        @Sendable func number(_ value: Double) -> String { DecimalText.format(value, decimals: 6) }
        for (part, rows, scores, clusters) in [
            ("train", split.train, reduction.train, fit.clustering.labels),
            ("held-out", split.test, reduction.test, fit.testLabels),
        ] {
            let distances = fit.clustering.distances(of: scores.leadingColumns(clustered), labels: clusters)
            // Blocks of rows formatted on all cores, joined in row order.
            let blocks = ParallelLoop.mapChunks(count: rows.count, chunks: min(64, max(1, rows.count / 1024))) {
                _, range in
                var block: [UInt8] = []
                for position in range {
                    let row = rows[position], cluster = Int(clusters[position])
                    let usage = dataset.usage.map { dataset.usageNames[Int($0[row])] } ?? ""
                    var cells = ["\(row)"] + (files.map { [$0[row]] } ?? [])
                    cells += [dataset.labelNames[Int(dataset.labels[row])], usage, part]
                    cells += groups.map { [$0.names[Int($0.codes[row])]] } ?? []
                    cells += [
                        "\(cluster)",
                        metrics.map.labelOf[cluster].map { dataset.labelNames[$0] } ?? "",
                        part == "train" ? silhouettes[position].map(number) ?? "" : "", number(distances[position]),
                    ]
                    cells += (0..<shown).map { number(Double(scores[position, $0])) }
                    if let tsne {
                        let point = part == "train" ? tsnePoints[position] : nil
                        cells += (0..<2).map { column in
                            point.map { number(Double(tsne.coordinates[$0, column])) } ?? ""
                        }
                    }
                    append(cells, to: &block)
                }
                return block
            }
            for block in blocks { table += block }
        }
        return table
    }

    /// `cells` as one line of the table, each field quoted where it needs to be.
    private static func append(_ cells: [String], to table: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { table.append(UInt8(ascii: ",")) }
            table.append(contentsOf: CSVText.field(cell).utf8)
        }
        table.append(UInt8(ascii: "\n"))
    }
}
