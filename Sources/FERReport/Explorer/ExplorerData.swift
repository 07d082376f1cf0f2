import FERCanvas
import FERCodecs
import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages
import Foundation

/// The explorer page's data, made by one cached stage from the final model:
/// `explore/data.js` (the training images as points: their leading
/// components, true label, cluster, silhouette and distance to the centre,
/// each cluster's members nearest first, and the centres) and the faces as
/// sprite sheets `explore/faces-N.png`, loaded by the page as it needs them.
/// Above `images.explorer` training images, a seeded sample of them.
package struct ExplorerData: Sendable, Equatable {
    /// The data script and (once `ExplorerStages.get` has added them) the sprite sheets, by path relative to
    /// the site root.
    var files: [String: [UInt8]]
    /// The dataset row of each point, in point order.
    var rows: [Int]
    /// Training images in the final model.
    var total: Int

    /// Components the page can plot, at most.
    static let maximumComponents = 10
    /// Longest side of a face in the sprite sheets; larger images are reduced to it.
    static let maximumTile = 64
    /// Faces per row of a sprite sheet, and rows of faces per sheet.
    static let sheetColumns = 32, sheetRows = 32

    /// What the stage reads besides its inputs.
    struct Settings: StageParameters {
        /// Training images shown at most.
        var limit: Int
        /// Seed of the sample taken above `limit`.
        var seed: UInt64
        /// Leading components k-means clustered (the centres' length).
        var clustered: Int
        /// How the axes are named: `PCA component`.
        var axis: String
    }

    /// The stages of `experiment`'s explorer data and sprite sheets.
    package static func stage(of experiment: Experiment) -> ExplorerStages {
        let config = experiment.config, final = experiment.finalModel
        let settings = Settings(
            limit: config.images.explorer, seed: config.models.seed, clustered: final.setting.components,
            axis: final.setting.reducer.axisTitle)
        // The faces' sprite sheets depend on the images shown alone, so a change of the model reuses them.
        let sheets = experiment.runner.stage(
            "explorer sheets", version: 1, parameters: SheetSettings(limit: settings.limit, seed: settings.seed),
            inputs: experiment.dataset, experiment.sample, compute: ExplorerSheets.make)
        let data = experiment.runner.stage(
            "explorer data", version: 3, parameters: settings,
            inputs: final.reduction, final.clusters, final.silhouette, final.metrics, experiment.dataset,
            experiment.sample, compute: make)
        return ExplorerStages(data: data, sheets: sheets)
    }

    /// What the sprite sheets' stage reads besides the images: which training images are shown.
    struct SheetSettings: StageParameters {
        /// Training images shown at most.
        var limit: Int
        /// Seed of the sample taken above `limit`.
        var seed: UInt64
    }

    private static func make(
        _ settings: Settings, reduction: Reduction, clusters: ClusterFit, silhouette: SilhouetteResult,
        metrics: ModelMetrics, dataset: Dataset, split: SampleSplit
    ) throws -> ExplorerData {
        let fit = clusters.clustering, train = split.train
        let positions = ShownImages.positions(of: train.count, limit: settings.limit, seed: settings.seed)
        var silhouettes = [Float](repeating: .nan, count: train.count)
        for (index, position) in (silhouette.sampledRows ?? Array(train.indices)).enumerated() {
            silhouettes[position] = Float(silhouette.samples[index])
        }
        let distances = fit.distances(of: reduction.train.leadingColumns(settings.clustered), labels: fit.labels)
        let components = min(maximumComponents, reduction.train.columns)
        var coordinates: [Float] = []
        coordinates.reserveCapacity(components * positions.count)
        for component in 0..<components {
            for position in positions { coordinates.append(reduction.train[position, component]) }
        }
        let pointClusters = positions.map { Int(fit.labels[$0]) }
        var members = [[Int]](repeating: [], count: fit.clusterCount)
        for (point, cluster) in pointClusters.enumerated() { members[cluster].append(point) }
        for cluster in members.indices {
            members[cluster].sort { (distances[positions[$0]], $0) < (distances[positions[$1]], $1) }
        }
        let tile = tileSize(width: dataset.width, height: dataset.height)
        var files: [String: [UInt8]] = [:]
        let sheetFiles = ExplorerSheets.names(count: ExplorerSheets.count(shown: positions.count))
        let script = Script(
            labels: dataset.labelNames,
            clusterLabels: metrics.map.labelOf.map { $0.map { dataset.labelNames[$0] } },
            colors: Theme.palette.map(\.hexText), axis: settings.axis, components: components,
            clustered: settings.clustered, total: train.count, sampled: positions.count < train.count,
            tile: .init(width: tile.width, height: tile.height, columns: sheetColumns, perSheet: facesPerSheet),
            sheets: sheetFiles,
            rows: base64(positions.map { Int32(train[$0]) }),
            label: base64(positions.map { UInt16(dataset.labels[train[$0]]) }),
            cluster: base64(pointClusters.map { UInt16($0) }),
            silhouette: base64(positions.map { silhouettes[$0] }),
            distance: base64(positions.map { Float(distances[$0]) }),
            coordinates: base64(coordinates),
            centres: centres(of: fit, points: pointClusters, coordinates: coordinates, components: components),
            members: base64(members.flatMap { $0.map(Int32.init) }),
            memberStarts: members.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) })
        files[scriptFile] = try script.javaScript()
        return ExplorerData(files: files, rows: positions.map { train[$0] }, total: train.count)
    }

    /// The data script's path in the site.
    static let scriptFile = "explore/data.js"
    /// For an image folder, the script naming each point's file.
    static let filesScript = "explore/files.js"

    /// The script setting `window.ferlabExplorerFiles` to each point's file, relative to the dataset's folder.
    static func filesScript(names: [String]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let json = String(decoding: try encoder.encode(names), as: UTF8.self)
        return Array("window.ferlabExplorerFiles = \(json);\n".utf8)
    }

    static var facesPerSheet: Int { sheetColumns * sheetRows }

    /// The t-SNE view's script in the site.
    static let tsneScript = "explore/tsne.js"

    /// The script setting `window.ferlabExplorerTSNE` to the view's coordinates (Base64 of Float32, every point's
    /// first coordinate, then every second), in the points' order.
    static func tsneScript(_ view: TSNEView) throws -> [UInt8] {
        let columns = (0..<2).flatMap { column in (0..<view.coordinates.rows).map { view.coordinates[$0, column] } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(
            decoding: try encoder.encode(
                ["coordinates": base64(columns), "method": view.method.rawValue, "points": "\(view.positions.count)"]),
            as: UTF8.self)
        return Array("window.ferlabExplorerTSNE = \(json);\n".utf8)
    }

    /// A face's size in the sheets: the image's, reduced to fit `maximumTile` when larger.
    static func tileSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let scale = min(1, Double(maximumTile) / Double(max(width, height)))
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }

    /// One gray PNG of `positions`' faces, `sheetColumns` to a row.
    static func spriteSheet(
        _ positions: [Int], rows: [Int], dataset: Dataset, tile: (width: Int, height: Int)
    ) -> [UInt8] {
        let columns = min(sheetColumns, positions.count)
        let sheetRows = (positions.count + sheetColumns - 1) / sheetColumns
        let width = columns * tile.width
        var pixels = [UInt8](repeating: 255, count: width * sheetRows * tile.height)
        let resized = tile.width != dataset.width || tile.height != dataset.height
        for (index, position) in positions.enumerated() {
            var face = GrayImage(
                width: dataset.width, height: dataset.height, pixels: Array(dataset.image(rows[position])))
            if resized { face = ImageResizer.resize(face, width: tile.width, height: tile.height) }
            let left = (index % sheetColumns) * tile.width, top = (index / sheetColumns) * tile.height
            for y in 0..<tile.height {
                let start = (top + y) * width + left
                pixels.replaceSubrange(
                    start..<(start + tile.width), with: face.pixels[(y * tile.width)..<((y + 1) * tile.width)])
            }
        }
        return GrayPNGWriter.encode(width: width, height: sheetRows * tile.height, pixels: pixels)
    }

    /// Each cluster's centre over the plotted components: k-means' centre in the clustered components, and the
    /// mean of its shown members in any others.
    private static func centres(
        of fit: Clustering, points: [Int], coordinates: [Float], components: Int
    ) -> [[Double]] {
        let count = points.count
        return (0..<fit.clusterCount).map { cluster in
            (0..<components).map { component in
                if component < fit.centroids.columns { return Double(fit.centroids[cluster, component]) }
                var sum = 0.0, members = 0
                for (point, owner) in points.enumerated() where owner == cluster {
                    sum += Double(coordinates[component * count + point])
                    members += 1
                }
                return members == 0 ? 0 : sum / Double(members)
            }
        }
    }

    /// `values`' little-endian bytes in Base64, for the page to read as a typed array.
    private static func base64<T: FixedWidthInteger>(_ values: [T]) -> String {
        Data(values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }).base64EncodedString()
    }

    private static func base64(_ values: [Float]) -> String {
        base64(values.map(\.bitPattern))
    }

    /// What `data.js` sets `window.ferlabExplorer` to. Arrays of numbers are Base64 of little-endian typed arrays.
    private struct Script: Encodable {
        struct Tile: Encodable {
            var width: Int
            var height: Int
            var columns: Int
            var perSheet: Int
        }
        var labels: [String]
        var clusterLabels: [String?]
        var colors: [String]
        var axis: String
        var components: Int
        var clustered: Int
        var total: Int
        var sampled: Bool
        var tile: Tile
        var sheets: [String]
        /// Int32: the dataset row of each point.
        var rows: String
        /// UInt16: the true label of each point.
        var label: String
        /// UInt16: the cluster of each point.
        var cluster: String
        /// Float32: the silhouette of each point, NaN where it was not scored.
        var silhouette: String
        /// Float32: the distance of each point to its centre.
        var distance: String
        /// Float32: component by component, every point's value.
        var coordinates: String
        var centres: [[Double]]
        /// Int32: the points of cluster 0 nearest its centre first, then cluster 1's, ...
        var members: String
        /// Where each cluster's points start in `members`, and the end.
        var memberStarts: [Int]

        func javaScript() throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(self), as: UTF8.self)
            return Array("// FERLab explorer data, written by `ferlab run`.\nwindow.ferlabExplorer = \(json);\n".utf8)
        }
    }
}

/// The explorer's two stages. The data's cache entry holds its script only,
/// so the sheets are stored once however many models are explored.
package struct ExplorerStages: Sendable {
    let data: StageOutput<ExplorerData>
    let sheets: StageOutput<ExplorerSheets>

    /// The explorer's data with its sprite sheets among its files, computing whichever is not cached.
    package func get() throws -> ExplorerData {
        var explorer = try data.get()
        explorer.files.merge(try sheets.get().files) { $1 }
        return explorer
    }
}

/// The explorer's faces as sprite sheets `explore/faces-N.png`, in point
/// order: made from the images shown alone, by a stage of their own.
struct ExplorerSheets: Sendable, Equatable {
    /// Each sheet's PNG, in order.
    var sheets: [[UInt8]]

    /// The paths of `count` sheets relative to the site root, in order.
    static func names(count: Int) -> [String] { (0..<count).map { "explore/faces-\($0).png" } }

    /// Sheets holding `shown` faces.
    static func count(shown: Int) -> Int { (shown + ExplorerData.facesPerSheet - 1) / ExplorerData.facesPerSheet }

    /// The sheets by path.
    var files: [String: [UInt8]] { Dictionary(uniqueKeysWithValues: zip(Self.names(count: sheets.count), sheets)) }

    /// The sheets of the training images `settings` shows, drawn on all cores.
    static func make(_ settings: ExplorerData.SheetSettings, dataset: Dataset, split: SampleSplit) -> ExplorerSheets {
        let train = split.train
        let positions = ShownImages.positions(of: train.count, limit: settings.limit, seed: settings.seed)
        let tile = ExplorerData.tileSize(width: dataset.width, height: dataset.height)
        let perSheet = ExplorerData.facesPerSheet
        let sheetCount = count(shown: positions.count)
        return ExplorerSheets(
            sheets: ParallelLoop.mapChunks(count: sheetCount, chunks: sheetCount) { sheet, _ in
                ExplorerData.spriteSheet(
                    Array(positions[(sheet * perSheet)..<min(positions.count, (sheet + 1) * perSheet)]),
                    rows: train, dataset: dataset, tile: tile)
            })
    }
}

extension ExplorerSheets: CacheCodable {
    func encode(to writer: inout BinaryWriter) {
        writer.write(sheets.count)
        for sheet in sheets { writer.write(sheet) }
    }

    init(from reader: inout BinaryReader) throws {
        let count: Int = try reader.read()
        guard count >= 0 else { throw CacheError.malformed }
        var sheets: [[UInt8]] = []  // grown one sheet at a time: a damaged count fails at its first missing sheet
        for _ in 0..<count { sheets.append(try reader.read()) }
        self.init(sheets: sheets)
    }
}

extension ExplorerData: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        let names = files.keys.sorted()
        writer.write(names)
        for name in names { writer.write(files[name] ?? []) }
        writer.write(rows)
        writer.write(total)
    }

    package init(from reader: inout BinaryReader) throws {
        let names: [String] = try reader.read()
        var files: [String: [UInt8]] = [:]
        for name in names { files[name] = try reader.read() }
        self.init(files: files, rows: try reader.read(), total: try reader.read())
    }
}
