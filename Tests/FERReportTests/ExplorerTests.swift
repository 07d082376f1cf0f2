import FERCodecs
import FERCore
import FERData
import FERExperiment
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERReport

/// The explorer's data against what the rest of the site says: `images.csv` for the points and the dataset for
/// the faces. The page itself is checked in a browser by Tests/Browser.
@Suite(.serialized) struct ExplorerTests {
    /// `explore/data.js` (or another script setting `variable`) as JSON, and its Base64 arrays decoded.
    struct Script {
        let json: [String: Any]

        init(_ bytes: Data, variable: String = "ferlabExplorer") throws {
            let text = String(decoding: bytes, as: UTF8.self)
            let start = try #require(text.range(of: "window.\(variable) = ")).upperBound
            let end = try #require(text.range(of: ";\n", options: .backwards)).lowerBound
            json = try #require(try JSONSerialization.jsonObject(with: Data(text[start..<end].utf8)) as? [String: Any])
        }

        func bytes(_ key: String) throws -> [UInt8] {
            let text = try #require(json[key] as? String)
            return Array(try #require(Data(base64Encoded: text)))
        }

        func integers(_ key: String, size: Int) throws -> [Int] {
            let bytes = try bytes(key)
            return stride(from: 0, to: bytes.count, by: size).map { start in
                (0..<size).reduce(0) { $0 | Int(bytes[start + $1]) << (8 * $1) }
            }
        }

        func floats(_ key: String) throws -> [Float] {
            try integers(key, size: 4).map { Float(bitPattern: UInt32($0)) }
        }
    }

    /// The training rows of `images.csv`: row, cluster and distance to the centre.
    private static func trainingImages(_ csv: Data) -> [(row: Int, cluster: Int, distance: Double)] {
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",") }
        let header = lines[0].map(String.init)
        let row = header.firstIndex(of: "row") ?? 0, split = header.firstIndex(of: "split") ?? 0
        let cluster = header.firstIndex(of: "cluster") ?? 0, distance = header.firstIndex(of: "distance") ?? 0
        return lines.dropFirst().filter { $0[split] == "train" }.map {
            (Int($0[row]) ?? -1, Int($0[cluster]) ?? -1, Double($0[distance]) ?? .nan)
        }
    }

    @Test func thePointsAreTheTrainingImagesAndEachClusterListsItsOwnNearestFirst() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let files = try FolderSnapshot.files(in: fixture.site)
        let script = try Script(try #require(files["explore/data.js"]))
        let images = Self.trainingImages(try #require(files["images.csv"]))
        #expect(try script.integers("rows", size: 4) == images.map(\.row))
        #expect(try script.integers("cluster", size: 2) == images.map(\.cluster))
        let distances = try script.floats("distance")
        for (distance, image) in zip(distances, images) { #expect(abs(Double(distance) - image.distance) < 1e-5) }
        #expect(script.json["sampled"] as? Bool == false)

        let members = try script.integers("members", size: 4)
        let starts = try #require(script.json["memberStarts"] as? [Int])
        #expect(starts.last == images.count)
        for cluster in 0..<(starts.count - 1) {
            let listed = Array(members[starts[cluster]..<starts[cluster + 1]])
            #expect(Set(listed) == Set(images.indices.filter { images[$0].cluster == cluster }))
            let ordered = listed.map { distances[$0] }
            #expect(ordered == ordered.sorted(), "cluster \(cluster) is not nearest first")
        }
    }

    @Test func eachFaceInTheSpriteSheetsIsItsImage() throws {
        let fixture = try SiteFixture()
        try fixture.run()
        let files = try FolderSnapshot.files(in: fixture.site)
        let script = try Script(try #require(files["explore/data.js"]))
        let rows = try script.integers("rows", size: 4)
        let tile = try #require(script.json["tile"] as? [String: Int])
        let width = try #require(tile["width"]), height = try #require(tile["height"])
        let columns = try #require(tile["columns"]), perSheet = try #require(tile["perSheet"])
        let config = try ExperimentConfig.parse(SiteFixture.config, file: "tiny.yaml")
        let experiment = try Experiment(
            config: config, configFile: "tiny.yaml", runner: StageRunner(cache: CacheStore(directory: fixture.cache)))
        let dataset = try experiment.dataset.get()
        #expect(width == dataset.width && height == dataset.height)
        let sheets = try #require(script.json["sheets"] as? [String])
        #expect(sheets.count == (rows.count + perSheet - 1) / perSheet)
        let sheet = try #require(files[sheets[0]]).withUnsafeBytes { try PNGCodec.decodeGray($0) }
        for point in [0, 1, columns, rows.count - 1] where point < perSheet {
            let left = (point % columns) * width, top = (point / columns) * height
            var face: [UInt8] = []
            for y in 0..<height {
                let start = (top + y) * sheet.width + left
                face += sheet.pixels[start..<(start + width)]
            }
            #expect(face == Array(dataset.image(rows[point])), "point \(point)")
        }
    }

    @Test func aFinalModelWithMoreImagesThanTheLimitShowsASeededSampleAndSaysSo() throws {
        let fixture = try SiteFixture()
        try fixture.run(["images.explorer=50"])
        let first = try FolderSnapshot.files(in: fixture.site)
        let script = try Script(try #require(first["explore/data.js"]))
        let rows = try script.integers("rows", size: 4)
        #expect(rows.count == 50 && rows == rows.sorted())
        #expect(script.json["sampled"] as? Bool == true)
        let page = String(decoding: try #require(first["explore.html"]), as: UTF8.self)
        #expect(page.contains("a seeded sample of 50 of them"))
        // The same seed picks the same images in another run from scratch.
        try fixture.run(["images.explorer=50"], site: fixture.folder.file("again"), cache: fixture.folder.file("c2"))
        #expect(
            try FolderSnapshot.files(in: fixture.folder.file("again"))["explore/data.js"] == first["explore/data.js"])
    }

    /// The t-SNE view covers the explorer's points in their order, in `explore/tsne.js` and in `images.csv`; the
    /// explorer offers it and the final-model page draws it. A run without it writes none of that.
    @Test func theTSNEViewCoversTheExplorersPointsWhereverItIsShown() throws {
        let fixture = try SiteFixture()
        try fixture.run(["images.explorer=50", "figures.embedding=tsne"])
        var files = try FolderSnapshot.files(in: fixture.site)
        let rows = try Script(try #require(files["explore/data.js"])).integers("rows", size: 4)
        let view = try Script(try #require(files["explore/tsne.js"]), variable: "ferlabExplorerTSNE")
        let coordinates = try view.floats("coordinates")
        #expect(coordinates.count == 2 * rows.count && coordinates.allSatisfy(\.isFinite))
        let lines = String(decoding: try #require(files["images.csv"]), as: UTF8.self).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(header.firstIndex(of: "row"))
        let x = try #require(header.firstIndex(of: "tsne_1")), y = try #require(header.firstIndex(of: "tsne_2"))
        var placed = 0
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let point = rows.firstIndex(of: Int(cells[row]) ?? -1) else {
                #expect(cells[x].isEmpty && cells[y].isEmpty, "row \(cells[row]) is not shown")
                continue
            }
            #expect(abs((Float(cells[x]) ?? .nan) - coordinates[point]) < 1e-4)
            #expect(abs((Float(cells[y]) ?? .nan) - coordinates[rows.count + point]) < 1e-4)
            placed += 1
        }
        #expect(placed == rows.count)
        let explorer = String(decoding: try #require(files["explore.html"]), as: UTF8.self)
        #expect(explorer.contains("id=\"explorer-view\"") && explorer.contains("src=\"explore/tsne.js\""))
        let page = String(decoding: try #require(files["final-model.md"]), as: UTF8.self)
        #expect(page.contains("## A t-SNE view") && page.contains("a seeded sample of 50 of the"))
        #expect(files["figures/tsne.png"] != nil && files["figures/tsne-labels.png"] != nil)

        try fixture.run(["images.explorer=50"])
        files = try FolderSnapshot.files(in: fixture.site)
        #expect(files["explore/tsne.js"] == nil && files["figures/tsne.png"] == nil)
        #expect(!String(decoding: try #require(files["explore.html"]), as: UTF8.self).contains("explorer-view"))
        #expect(!String(decoding: try #require(files["images.csv"]), as: UTF8.self).contains("tsne_1"))
    }

    @Test func largeImagesAreReducedToTheTileSize() {
        #expect(ExplorerData.tileSize(width: 48, height: 48) == (48, 48))
        #expect(ExplorerData.tileSize(width: 256, height: 128) == (64, 32))
        #expect(ShownImages.positions(of: 10, limit: 20, seed: 1) == Array(0..<10))
        let sample = ShownImages.positions(of: 1000, limit: 100, seed: 1)
        #expect(sample.count == 100 && Set(sample).count == 100 && sample == sample.sorted())
        #expect(sample != Array(0..<100))
    }
}
