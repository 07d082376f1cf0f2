import FERCore
import FERExperiment
import FERMath
import Foundation

/// How `ferlab predict` writes its predictions and sums them up.
enum PredictionTable {
    /// The CSV's first columns; a probability column per label follows.
    static let header = ["image", "cluster", "cluster_label", "distance", "label"]

    /// One row per image, with the true label last when known.
    static func csv(
        _ predictions: [TrainedModel.Prediction], names: [String], labels: [String], truth: [Int32]?
    )
        -> String
    {
        var lines = [
            (header + labels.map { "probability_\($0)" } + (truth == nil ? [] : ["true_label"])).map(CSVText.field)
                .joined(separator: ",")
        ]
        for (index, prediction) in predictions.enumerated() {
            var cells = [
                names[index], "\(prediction.cluster)", prediction.clusterLabel.map { labels[$0] } ?? "",
                DecimalText.format(prediction.distance, decimals: 6), labels[prediction.label],
            ]
            cells += prediction.probabilities.map { DecimalText.format($0, decimals: 6) }
            if let truth { cells.append(labels[Int(truth[index])]) }
            lines.append(cells.map(CSVText.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The predictions as a JSON array of objects.
    static func json(
        _ predictions: [TrainedModel.Prediction], names: [String], labels: [String], truth: [Int32]?
    )
        throws -> String
    {
        let rows: [[String: Any]] = predictions.enumerated().map { index, prediction in
            var row: [String: Any] = [
                "image": names[index], "cluster": prediction.cluster,
                "cluster_label": prediction.clusterLabel.map { labels[$0] as Any } ?? NSNull(),
                "distance": prediction.distance, "label": labels[prediction.label],
                "probabilities": Dictionary(uniqueKeysWithValues: zip(labels, prediction.probabilities)),
            ]
            if let truth { row["true_label"] = labels[Int(truth[index])] }
            return row
        }
        guard predictions.allSatisfy({ $0.distance.isFinite && $0.probabilities.allSatisfy(\.isFinite) }) else {
            throw ModelFileError(file: "the model", "gives numbers that are not finite for these images")
        }
        let data = try JSONSerialization.data(
            withJSONObject: rows, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The predictions file at `path`: it replaces only a predictions file FERLab wrote, unless forced.
    static func output(_ path: String, force: Bool) -> OutputFile {
        let csvHeader = Array(header.joined(separator: ",").utf8)
        return OutputFile(path, force: force) { head in
            head.starts(with: csvHeader)
                || head.first == UInt8(ascii: "[")
                    && String(decoding: head, as: UTF8.self).contains("\"cluster_label\"")
        }
    }

    /// Accuracy of the cluster map and of the second model against chance, and their confusion matrices.
    static func summary(_ predictions: [TrainedModel.Prediction], truth: [Int32], labels: [String]) -> String {
        let scores = TrainedModel.Scores(predictions, truth: truth, classes: labels.count)
        let mapped = scores.clusterMap, second = scores.secondModel, chance = scores.chance
        func percent(_ value: Double) -> String { DecimalText.format(value * 100, decimals: 1) + "%" }
        func matrix(_ report: ClassificationReport) -> String {
            let width = max(6, labels.map(\.count).max() ?? 0)
            func pad(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
            var lines = [pad("") + " " + labels.map(pad).joined(separator: " ")]
            for (label, row) in zip(labels, report.confusion) {
                lines.append(pad(label) + " " + row.map { pad("\($0)") }.joined(separator: " "))
            }
            return lines.joined(separator: "\n")
        }
        return """
            \(truth.count) labelled images
            cluster map: \(percent(mapped.accuracy)) correct; second model: \(percent(second.accuracy)) correct
            chance: \(percent(chance.uniform)) guessing uniformly, \(percent(chance.majorityClass)) always answering the most common label
            cluster map, true labels (rows) against predicted (columns):
            \(matrix(mapped))
            second model:
            \(matrix(second))
            """
    }
}

/// An output file that is not FERLab's.
