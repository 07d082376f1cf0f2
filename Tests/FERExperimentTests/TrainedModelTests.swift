import FERData
import FERMath
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// The model file: what a run learned, applied to images it has not seen.
@Suite struct TrainedModelTests {
    /// A run of the tiny experiment with `overrides`, its model read back from its file, and the run's values.
    private static func trained(
        _ overrides: [String]
    ) throws -> (
        model: TrainedModel, file: String, experiment: Experiment, results: ExperimentResults,
        folder: TemporaryDirectory
    ) {
        let folder = try TemporaryDirectory()
        let runner = StageRunner(cache: CacheStore(directory: folder.file("cache")))
        let experiment = try Experiment(config: try tinyConfig(overrides), configFile: "tiny.yaml", runner: runner)
        let results = try experiment.results()
        let file = folder.file("model.ferlab")
        try Data(try experiment.trainedModel.get().fileBytes()).write(to: URL(fileURLWithPath: file))
        return (try TrainedModel.read(path: file), file, experiment, results, folder)
    }

    @Test(arguments: [
        [], ["models.features=hog", "models.whiten=true"], ["models.features=landmarks"], ["models.method=gmm"],
        ["models.method=ward"],
    ])
    func predictingTheHeldOutRowsReproducesTheRunsAccuracies(_ overrides: [String]) throws {
        let run = try Self.trained(overrides)
        #expect(run.model == (try run.experiment.trainedModel.get()))
        // A mixture's model file holds the mixture, which assigns new images by its posterior.
        #expect((run.model.mixture != nil) == overrides.contains("models.method=gmm"))
        let dataset = try run.experiment.dataset.get(), split = try run.experiment.sample.get()
        let heldOut = dataset.subset(split.test)
        let predictions = try run.model.predict(heldOut, modelFile: run.file)
        let truth = heldOut.labels
        func accuracy(_ predicted: [Int?]) -> Double {
            Double(zip(predicted, truth).filter { $0.0 == Int($0.1) }.count) / Double(truth.count)
        }
        let final = try #require(run.results.models.first { $0.name == run.results.finalModel })
        #expect(accuracy(predictions.map(\.clusterLabel)) == final.accuracy)
        #expect(accuracy(predictions.map(\.label)) == run.results.secondModel.fromClusters.accuracy)
        #expect(predictions.map(\.cluster) == (try run.experiment.finalModel.clusters.get()).testLabels.map(Int.init))
        // The probabilities are the calibrated ones the second-model page measured.
        let calibrated = Calibration.reliability(probabilities: predictions.map(\.probabilities), truth: truth)
        #expect(abs(calibrated.meanConfidence - run.results.secondModel.reliabilityAfter.meanConfidence) < 1e-12)
        #expect(run.model.secondModel.temperature == run.results.secondModel.temperature)
    }

    /// A landmark model whose landmark file is gone, or replaced, is refused with the model file's name.
    @Test func aLandmarkModelNeedsTheLandmarkFileItWasTrainedWith() throws {
        let run = try Self.trained(["models.features=landmarks"])
        let dataset = try run.experiment.dataset.get()
        var moved = run.model
        moved.landmarks?.model = run.folder.file("gone.dat")
        let gone = #expect(throws: ModelFileError.self) { try moved.predict(dataset, modelFile: run.file) }
        #expect(
            gone?.description.contains("needs the landmark model \(run.folder.file("gone.dat")), which is missing")
                == true)
        var replaced = run.model
        replaced.landmarks?.modelContent = "0123456789abcdef"
        let other = #expect(throws: ModelFileError.self) { try replaced.predict(dataset, modelFile: run.file) }
        #expect(other?.description.contains("was trained with another landmark model") == true)
    }

    @Test func sameConfigAndSeedWriteTheSameFile() throws {
        let first = try Self.trained([]), second = try Self.trained([])
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: first.file))
                == Data(contentsOf: URL(fileURLWithPath: second.file)))
    }

    @Test func damagedNewerAndForeignFilesAreRefusedWithTheFile() throws {
        let run = try Self.trained([])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: run.file))
        let text = String(decoding: bytes, as: UTF8.self)
        func message(_ content: String) -> String {
            let path = run.folder.file("other.ferlab")
            try? Data(content.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try TrainedModel.read(path: path)
                return "read"
            } catch {
                return "\(error)".replacingOccurrences(of: path, with: "FILE")
            }
        }
        #expect(
            message(String(text.prefix(text.count / 2)))
                == "FILE: is not a FERLab model file, or it is damaged or truncated")
        #expect(
            message("{\"format\":\"ferlab-model\",\"version\":2}").hasPrefix(
                "FILE: was written by a newer FERLab (model format 2)"))
        #expect(message("label,pixels\n") == "FILE: is not a FERLab model file, or it is damaged or truncated")
        // Every part present but one that does not fit the others.
        let moved = text.replacingOccurrences(of: "\"components\":2,", with: "\"components\":3,")
        #expect(moved != text)
        #expect(message(moved).hasPrefix("FILE: is damaged: "))
        let missing = text.replacingOccurrences(of: "\"labels\":", with: "\"names\":")
        #expect(message(missing).hasPrefix("FILE: is damaged or truncated ("))
    }

    /// A mixture whose parts do not fit the centres and components is refused before use.
    @Test func aDamagedMixtureIsRefused() throws {
        let run = try Self.trained(["models.method=gmm"])
        let text = try String(contentsOfFile: run.file, encoding: .utf8)
        let path = run.folder.file("other.ferlab")
        let damaged = text.replacingOccurrences(of: "\"dimension\":2", with: "\"dimension\":3")
        #expect(damaged != text)
        try Data(damaged.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ModelFileError.self) { try TrainedModel.read(path: path) }
        #expect(error?.message == "is damaged: the Gaussian mixture does not match the centres and components")
    }
}

/// The landmark stage refuses settings that would enlarge images past what it handles, naming the key.
@Suite struct LandmarkStageTests {
    @Test func anEnlargementTooLargeIsRefusedWithTheKey() throws {
        let side = 512
        let dataset = Dataset(
            width: side, height: side, pixels: [UInt8](repeating: 90, count: side * side), labels: [0],
            labelNames: ["a"], usage: nil, usageNames: [],
            provenance: DatasetProvenance(kind: .csv, path: "big.csv", columns: ["emotion", "pixels"]))
        let settings = LandmarkSet.Settings(
            model: "/usr/share/dlib/shape_predictor_68_face_landmarks.dat", modelContent: "", upscale: 9, inset: 0.08,
            face: .crop)
        let problem = #expect(throws: ConfigProblem.self) {
            try LandmarkSet.place(settings, progress: StageProgress(stage: "landmarks", report: nil), dataset: dataset)
        }
        #expect(problem?.path == "features.landmarks.upscale")
        #expect(problem?.message.contains("4608 pixels a side") == true)
    }
}
