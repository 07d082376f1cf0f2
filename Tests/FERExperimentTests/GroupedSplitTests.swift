import FERCore
import FERData
import FERStages
import FERSynth
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment
@testable import FERReport

/// Images of one subject never sit on both sides of a split. The data is a
/// posed-expression folder: 30 subjects, each with two sequences of four
/// nearly identical frames (`<label>/S<subject>_<sequence>_<frame>.png`).
@Suite struct GroupedSplitTests {
    static let subjects = 30

    private static func makeSequences() throws -> TemporaryDirectory { try PosedSequences.make() }

    private static func experiment(_ overrides: [String], cache: String) throws -> Experiment {
        let runner = StageRunner(cache: CacheStore(directory: cache), force: false)
        let experiment = try Experiment(config: try tinyConfig(overrides), configFile: "tiny.yaml", runner: runner)
        try experiment.validate()
        return experiment
    }

    private static func groupsOf(_ rows: [Int], _ split: SampleSplit) -> Set<Int32> {
        Set(split.groups.codes(of: rows) ?? [])
    }

    @Test func aSubjectPatternKeepsEverySubjectOnOneSideOfEverySplit() throws {
        let folder = try Self.makeSequences(), cache = try TemporaryDirectory()
        let data = ["dataset.path=\(folder.path)", "split.method=fraction", "split.test_fraction=0.2"]
        let grouped = try Self.experiment(
            data + ["split.groups={pattern: '\(PosedSequences.subjectPattern)'}"], cache: cache.path)
        let split = try grouped.sample.get()
        #expect(
            split.groups.names.count == Self.subjects
                && split.groups.names.allSatisfy { $0.wholeMatch(of: /S[0-9]{3}/) != nil })
        #expect(Self.groupsOf(split.train, split).isDisjoint(with: Self.groupsOf(split.test, split)))

        // The folds and the images set aside for calibration are whole subjects too.
        let codes = try #require(split.groups.codes(of: split.train))
        let folds = FoldReductions.folds(5, of: split.train.count, groups: codes, seed: 3).heldOut
        let foldGroups = folds.map { Set($0.map { codes[$0] }) }
        for (index, fold) in foldGroups.enumerated() {
            for other in foldGroups[(index + 1)...] { #expect(fold.isDisjoint(with: other)) }
        }
        let aside = Set(ClusterClassifier.calibrationPositions(of: codes.count, groups: codes))
        let asideGroups = Set(aside.map { codes[$0] })
        let restGroups = Set(codes.indices.filter { !aside.contains($0) }.map { codes[$0] })
        #expect(!aside.isEmpty && asideGroups.isDisjoint(with: restGroups))

        let results = try grouped.results()
        let groups = try #require(results.preprocessing.groups)
        #expect(groups.groups == 30 && groups.sharedGroups == 0 && groups.imagesPerGroup == [8, 8, 8])
        #expect(groups.trainGroups + groups.testGroups == 30 && groups.source == "{pattern: /(S[0-9]+)_}")
        #expect(results.preprocessing.split.hasSuffix("each group whole on one side"))

        // Split by image, most held-out frames have a sibling in training: the near-copy check sees it.
        let ungrouped = try Self.experiment(data, cache: cache.path)
        let leaked = try #require(try ungrouped.results().preprocessing.nearCopies)
        #expect(Double(leaked.count) > 0.5 * Double(leaked.heldOut), "\(leaked.count) of \(leaked.heldOut)")
        let kept = try #require(results.preprocessing.nearCopies)
        #expect(kept.count < leaked.count / 4, "\(kept.count) near-copies with groups, \(leaked.count) without")
        #expect(leaked.closest.first.map { $0.correlation > 0.99 } == true)

        // images.csv names each image's group.
        let files = try ImageFolderReader.imageFiles(root: folder.path)
        let table = String(decoding: try ImageTable.csv(grouped, files: files), as: UTF8.self)
        let lines = table.split(separator: "\n")
        let header = lines[0].split(separator: ",")
        let fileColumn = try #require(header.firstIndex(of: "file")),
            groupColumn = try #require(header.firstIndex(of: "group"))
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells[fileColumn].contains("/\(cells[groupColumn])_"))
        }
    }

    @Test func aCSVColumnGroupsAUsageSplitByMostOfEachGroupsUsages() throws {
        // 40 subjects of 5 rows: subjects 0-9 have 4 PrivateTest rows and 1 Training row, the rest the reverse.
        let faces = SyntheticFaces.generate(count: 200, seed: 4)
        var text = "emotion,pixels,Usage,subject\n"
        for row in 0..<faces.count {
            let subject = row / 5, first = row % 5 == 0
            let usage = (subject < 10) != first ? "PrivateTest" : "Training"
            text +=
                "\(faces.labels[row]),\(faces.image(row).map(String.init).joined(separator: " ")),\(usage),p\(subject)\n"
        }
        let folder = try TemporaryDirectory(), cache = try TemporaryDirectory()
        try folder.write("subjects.csv", text: text)
        let experiment = try Self.experiment(
            ["dataset.path=\(folder.file("subjects.csv"))", "split.method=usage", "split.groups=subject"],
            cache: cache.path)
        let split = try experiment.sample.get()
        #expect(split.test.count == 50 && split.movedToKeepGroups == 40)
        #expect(Self.groupsOf(split.train, split).isDisjoint(with: Self.groupsOf(split.test, split)))
        let groups = try #require(try experiment.results().preprocessing.groups)
        #expect(groups.testGroups == 10 && groups.trainGroups == 30 && groups.movedToKeepGroups == 40)
    }

    @Test func groupSourcesThatDoNotFitTheDataAreRefusedByName() throws {
        let folder = try Self.makeSequences(), cache = try TemporaryDirectory()
        func problem(_ overrides: [String]) -> String {
            do {
                let experiment = try Self.experiment(overrides, cache: cache.path)
                _ = try experiment.sample.get()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let images = "dataset.path=\(folder.path)"
        #expect(problem([images, "split.groups=subject"]).contains("is an image folder, which has no columns"))
        let unmatched = problem([images, "split.groups={pattern: '/(P[0-9]+)_'}"])
        #expect(unmatched.contains("split.groups.pattern") && unmatched.contains("finds no group in \"Angry/S"))
        #expect(problem(["split.groups=subject"]).contains("the built-in faces have no subjects"))
        #expect(problem([images, "split.groups={pattern: 'S[0-9]+'}"]).contains("has no capture group"))
        #expect(problem([images, "split.groups={pattern: '(S'}"]).contains("is not a regular expression"))
        #expect(problem([images, "split.groups={pattern: '(S)', extra: 1}"]).contains("split.groups.extra"))

        let csv = try TemporaryDirectory()
        try csv.write(
            "plain.csv",
            text: "emotion,pixels\n"
                + (0..<30).map { "\($0 % 3),\(Array(repeating: "\($0)", count: 16).joined(separator: " "))" }.joined(
                    separator: "\n"))
        let missing = problem(["dataset.path=\(csv.file("plain.csv"))", "split.groups=subject"])
        #expect(missing.contains("names the column \"subject\"") && missing.contains("\"emotion\", \"pixels\""))
        #expect(
            problem(["dataset.path=\(csv.file("plain.csv"))", "split.groups={pattern: '(x)'}"]).contains(
                "is a CSV file"))
        // Too few groups for the folds.
        let folds = problem([
            images, "split.groups={pattern: '\(PosedSequences.subjectPattern)'}", "stability.folds=30",
        ])
        #expect(folds.contains("stability.folds") && folds.contains("each fold holds whole groups"))
    }
}
