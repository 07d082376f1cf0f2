// swift-tools-version:6.0
import PackageDescription

/// Machine code for the processors FERLab runs on. On x86-64 the Swift code is
/// built for `haswell` (AVX2 and FMA, every x86-64 processor since 2013): the
/// SIMD loops of the silhouette and k-means run about 1.6 times faster. So is
/// the C++ of dlib's landmark model, whose regression trees add their leaves'
/// shape changes in vectors.
/// `FERLAB_PORTABLE=1` at build time targets any x86-64 processor instead; a
/// tuned build started on an older one stops with that advice (CMachine checks
/// before any Swift code runs).
let processorTuning: (swift: [SwiftSetting], c: [CSetting], cxx: [String]) = {
    #if arch(x86_64)
    if Context.environment["FERLAB_PORTABLE"] == nil {
        return (
            [.unsafeFlags(["-target-cpu", "haswell"])], [.define("FERLAB_HASWELL_BUILD")],
            ["-march=haswell", "-ffp-contract=off"]
        )
    }
    #endif
    return ([], [], [])
}()

/// FERLab: an experiment runner and static report site for unsupervised
/// facial-expression clustering. The pipeline reads data -> math -> figures
/// -> report, and the module list below follows that order. It builds on
/// Linux (Debian's packages supply the C libraries; some modules call Glibc).
let package = Package(
    name: "FERLab",
    products: [
        .executable(name: "ferlab", targets: ["ferlab"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries, one system-library target each, found with pkg-config.
        .systemLibrary(
            name: "CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CTurboJPEG", pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

        // What Swift's Glibc module does not expose (atomic directory exchange, closing a started
        // program's descriptors), the processor check of tuned builds, and whether the processor has AVX2 and FMA.
        .target(name: "CMachine", cSettings: processorTuning.c),

        // Pixel values written as text, parsed four at a time with SIMD shuffles in tuned builds.
        .target(name: "CPixelText", cSettings: processorTuning.c),

        // dlib's facial landmark model behind a plain C interface (a C++ shim over dlib::shape_predictor).
        .target(
            name: "CLandmarks", cxxSettings: [.unsafeFlags(["-O2"] + processorTuning.cxx)],
            linkerSettings: [.linkedLibrary("dlib")]),

        // Shared primitives: seeded randomness, parallel loops.
        .target(name: "FERCore", dependencies: ["CMachine"]),
        // The report's templates, built into the binary from the Templates folder.
        .target(name: "FERTemplates", plugins: ["EmbedTemplates"]),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["embed-files"]),
        .executableTarget(name: "embed-files"),
        // Byte-level codecs over the C libraries: gzip, PNG, JPEG.
        .target(name: "FERCodecs", dependencies: ["CZlib", "CPNG", "CTurboJPEG"]),
        // Datasets: the in-memory layout, CSV and image-folder readers, the CSV writer.
        .target(name: "FERData", dependencies: ["FERCore", "FERCodecs", "CPixelText"]),
        // Numerics: PCA, truncated SVD, k-means, silhouettes, clustering metrics.
        .target(name: "FERMath", dependencies: ["FERCore", "COpenBLAS", "CMachine"]),
        // Features that describe expressions: HOG, LBP; and the supervised second model.
        .target(name: "FERFeatures", dependencies: ["FERCore", "FERMath"]),
        // The face model: dlib's 68 facial landmarks of every image, from the model file Debian ships.
        .target(name: "FERLandmarks", dependencies: ["FERCore", "CLandmarks"]),
        // A small drawing surface over Cairo.
        .target(name: "FERCanvas", dependencies: ["CCairo"]),
        // The built-in synthetic face dataset.
        .target(name: "FERSynth", dependencies: ["FERCore", "FERData", "FERCanvas"]),
        // Figures of the report.
        .target(name: "FERFigures", dependencies: ["FERCore", "FERData", "FERCanvas", "FERCodecs"]),
        // The stage engine: stages keyed by their settings and inputs, run at most once, cached on disk. It
        // knows nothing of faces; the experiment and the report declare their stages on it.
        .target(name: "FERStages", dependencies: ["FERCore"]),
        // Experiments: the config file and the experiment's stages.
        .target(
            name: "FERExperiment",
            dependencies: [
                "FERCore", "FERData", "FERCodecs", "FERMath", "FERFeatures", "FERLandmarks", "FERStages", "FERSynth",
                .product(name: "Yams", package: "Yams"),
            ]),
        // The report site: templates, Markdown to HTML, atomic publishing.
        .target(
            name: "FERReport",
            dependencies: [
                "FERCore", "FERData", "FERMath", "FERFeatures", "FERFigures", "FERCanvas", "FERCodecs",
                "FERExperiment", "FERStages", "FERTemplates",
                "CMachine",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ]),
        // The application's run loop: config, lock, build, publish, and watching for changes.
        .target(name: "FERRun", dependencies: ["FERCore", "FERData", "FERExperiment", "FERReport", "FERStages"]),
        // The local server with live reload: Hummingbird, with FERLab's limits as a NIO handler and its Host check,
        // site files and reload events as middleware and routes.
        .target(
            name: "FERServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The command-line tool: argument parsing only, over the libraries.
        .executableTarget(
            name: "ferlab",
            dependencies: [
                "FERCore", "FERCodecs", "FERData", "FERSynth", "FERFigures", "FERExperiment", "FERMath", "FERReport",
                "FERRun",
                "FERServer", "FERStages", "FERTemplates", "CMachine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks of FERLab's steps on real data (Scripts/bench).
        .executableTarget(
            name: "ferlab-bench",
            dependencies: [
                "FERData", "FERMath", "FERFeatures", "FERLandmarks", "FERExperiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers shared by the test targets.
        .target(
            name: "FERTestSupport", dependencies: ["FERData", "FERCodecs", "FERCore", "FERSynth"],
            path: "Tests/FERTestSupport"),
        .testTarget(name: "FERCoreTests", dependencies: ["FERCore"]),
        .testTarget(name: "FERMathTests", dependencies: ["FERMath", "FERCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "FERFeaturesTests", dependencies: ["FERFeatures", "FERMath"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FERCodecsTests", dependencies: ["FERCodecs", "FERCore", "FERTestSupport"]),
        .testTarget(
            name: "FERDataTests", dependencies: ["FERData", "FERCodecs", "FERCore", "FERTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "FERSynthTests", dependencies: ["FERSynth", "FERData", "FERTestSupport"]),
        .testTarget(
            name: "FERLandmarksTests", dependencies: ["FERLandmarks", "FERSynth", "FERData"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "FERFiguresTests",
            dependencies: ["FERFigures", "FERCanvas", "FERCore", "FERData", "FERCodecs", "FERTestSupport"]),
        .testTarget(
            name: "FERExperimentTests",
            dependencies: [
                "FERExperiment", "FERReport", "FERCodecs", "FERCore", "FERData", "FERFeatures", "FERMath", "FERStages",
                "FERSynth", "FERTestSupport",
            ]),
        .testTarget(
            name: "FERReportTests",
            dependencies: [
                "FERReport", "FERRun", "FERExperiment", "FERCodecs", "FERCore", "FERData", "FERFeatures",
                "FERStages", "FERTemplates",
                "FERTestSupport",
            ]),
        .testTarget(name: "FERServerTests", dependencies: ["FERServer", "FERTestSupport"]),
        .testTarget(
            name: "ferlabTests", dependencies: ["ferlab", "FERCodecs", "FERCore", "FERRun", "FERTestSupport"],
            resources: [.copy("Corpus")]),
    ],
    cxxLanguageStandard: .cxx17
)

// Fuzz targets for libFuzzer, only when Scripts/fuzz builds them (FERLAB_FUZZ=1
// with -sanitize=fuzzer,address on every module): a normal build has no
// fuzzer runtime to link them against.
if Context.environment["FERLAB_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(name: "fuzz-csv", dependencies: ["FERData", "FuzzDriver"], path: "Fuzz/CSV"),
        .executableTarget(name: "fuzz-config", dependencies: ["FERExperiment", "FuzzDriver"], path: "Fuzz/Config"),
    ]
}

for target in package.targets
where ![.system, .plugin].contains(target.type) && !["CMachine", "FuzzDriver", "embed-files"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + processorTuning.swift
}

/// The modules with the heavy loops (numerics, features, datasets, the random generator, drawing, codecs and
/// the built-in faces) are optimised in debug builds too: the tests run whole pipelines through them, and
/// their loops run many times slower unoptimised. The rest stays easy to step through in a debugger.
for target in package.targets
where ["FERCore", "FERData", "FERMath", "FERFeatures", "FERCanvas", "FERCodecs", "FERSynth"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
}
