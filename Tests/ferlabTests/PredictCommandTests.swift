import FERCodecs
import FERTestSupport
import Foundation
import Testing

/// `ferlab predict` as a user meets it: a run's model file applied to new images.
@Suite struct PredictCommandTests {
    /// A folder with a run of the tiny experiment (its site holds model.ferlab).
    private static func trainedFolder() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
        let run = try CommandRunner.run(
            ["run", "tiny.yaml", "--out", "site", "--cache", "cache", "--templates", ProjectFiles.path("Templates")],
            in: folder.path)
        #expect(run.status == 0, "\(run.errors)")
        return folder
    }

    @Test func labelsImageFilesOfAnySizeAndAFERCSV() throws {
        let folder = try Self.trainedFolder()
        // Two PNGs of another size than the model's, one of them in colour.
        try Data(
            try PNGCodec.encode(
                GrayImage(width: 64, height: 80, pixels: CSVFixture.gradient(side: 80).prefix(64 * 80).map { $0 }))
        )
        .write(to: URL(fileURLWithPath: folder.file("a.png")))
        try Data(try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient(shift: 9))))
            .write(to: URL(fileURLWithPath: folder.file("b.png")))
        let files = try CommandRunner.run(["predict", "site/model.ferlab", "a.png", "b.png"], in: folder.path)
        #expect(files.status == 0, "\(files.errors)")
        let lines = files.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("image,cluster,cluster_label,distance,label,probability_Angry") == true)
        #expect(lines.dropFirst().first?.hasPrefix("a.png,") == true)

        let pixels = CSVFixture.pixelField(CSVFixture.gradient())
        try folder.write("faces.csv", text: "emotion,pixels\n3,\(pixels)\n5,\(pixels)\n")
        let csv = try CommandRunner.run(
            ["predict", "site/model.ferlab", "faces.csv", "--out", "predictions.csv"], in: folder.path)
        #expect(csv.status == 0, "\(csv.errors)")
        #expect(csv.errors.contains("2 labelled images") && csv.errors.contains("cluster map:"))
        let written = try String(contentsOfFile: folder.file("predictions.csv"), encoding: .utf8)
        let rows = written.split(separator: "\n")
        #expect(rows.count == 3 && rows[0].hasSuffix(",true_label"))
        #expect(rows.count == 3 && rows[1].hasPrefix("0,") && rows[1].hasSuffix(",Happy"))
        #expect(rows.count == 3 && rows[2].hasPrefix("1,") && rows[2].hasSuffix(",Surprise"))
        let json = try CommandRunner.run(
            ["predict", "site/model.ferlab", "faces.csv", "--format", "json"], in: folder.path)
        let objects = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(objects?.count == 2 && objects?.first?["true_label"] as? String == "Happy")
        // A report of labelled data; none of image files without labels.
        let report = try CommandRunner.run(
            [
                "predict", "site/model.ferlab", "faces.csv", "--report", "report", "--templates",
                ProjectFiles.path("Templates"),
            ], in: folder.path)
        #expect(report.status == 0, "\(report.errors)")
        let page = try String(contentsOfFile: folder.file("report/index.md"), encoding: .utf8)
        #expect(page.contains("2 labelled images from faces.csv") && page.contains("figures/by-label.png"))
        for figure in ["confusion-clusters", "confusion-second-model", "by-label"] {
            #expect(FileManager.default.fileExists(atPath: folder.file("report/figures/\(figure).png")))
        }
        #expect(FileManager.default.fileExists(atPath: folder.file("report/index.html")))
        let unlabelled = try CommandRunner.run(
            [
                "predict", "site/model.ferlab", "a.png", "--report", "report2", "--templates",
                ProjectFiles.path("Templates"),
            ], in: folder.path)
        #expect(unlabelled.status == 1 && unlabelled.errors.contains("--report needs data with labels"))
    }

    /// Label folders named otherwise than the model's labels: matched by a shared beginning (announced), else
    /// named with how to map them, and mapped by --labels; JSON paths keep their slashes.
    @Test func labelNamesThatDifferAreMatchedOrNamedWithTheirMap() throws {
        let folder = try Self.trainedFolder()
        for (label, shift) in [("anger", 1), ("happiness", 2), ("xyz", 3)] {
            try FileManager.default.createDirectory(
                atPath: folder.file("new/\(label)"), withIntermediateDirectories: true)
            try Data(try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient(shift: shift))))
                .write(to: URL(fileURLWithPath: folder.file("new/\(label)/face.png")))
        }
        let unmapped = try CommandRunner.run(
            ["predict", "site/model.ferlab", "new", "--format", "json"], in: folder.path)
        #expect(unmapped.status == 0, "\(unmapped.errors)")
        #expect(unmapped.errors.contains("labels matched: anger → Angry, happiness → Happy"), "\(unmapped.errors)")
        #expect(unmapped.errors.contains("the data's labels xyz match none of the model's"))
        #expect(unmapped.errors.contains("--labels xyz=Angry"))
        #expect(!unmapped.errors.contains("labelled images"), "an accuracy without every label matched")
        #expect(unmapped.output.contains("\"image\" : \"anger/face.png\""), "\(unmapped.output.prefix(400))")
        let mapped = try CommandRunner.run(
            ["predict", "site/model.ferlab", "new", "--labels", "xyz=Fear"], in: folder.path)
        #expect(mapped.status == 0 && mapped.errors.contains("xyz → Fear"))
        #expect(mapped.errors.contains("3 labelled images"), "\(mapped.errors)")
        let wrong = try CommandRunner.run(
            ["predict", "site/model.ferlab", "new", "--labels", "xyz=Fearful"], in: folder.path)
        #expect(wrong.status == 1 && wrong.errors.contains("Fearful is not one of the model's labels"))
    }

    @Test func refusesWhatItCannotUse() throws {
        let folder = try Self.trainedFolder()
        try folder.write("newer.ferlab", text: "{\"format\":\"ferlab-model\",\"version\":99}")
        let newer = try CommandRunner.run(["predict", "newer.ferlab", "x.png"], in: folder.path)
        #expect(newer.status == 1)
        #expect(newer.errors.contains("newer.ferlab: was written by a newer FERLab (model format 99)"))
        let missing = try CommandRunner.run(["predict", "site/model.ferlab", "nothing.png"], in: folder.path)
        #expect(missing.status == 1 && missing.errors.contains("nothing.png"))
        // An output file FERLab did not write is left alone.
        try folder.write("notes.csv", text: "my,own,data\n")
        try Data(try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient())))
            .write(to: URL(fileURLWithPath: folder.file("c.png")))
        let kept = try CommandRunner.run(
            ["predict", "site/model.ferlab", "c.png", "--out", "notes.csv"], in: folder.path)
        #expect(kept.status == 1 && kept.errors.contains("notes.csv: cannot write: exists and FERLab did not write it"))
        #expect(try String(contentsOfFile: folder.file("notes.csv"), encoding: .utf8) == "my,own,data\n")
    }
}
