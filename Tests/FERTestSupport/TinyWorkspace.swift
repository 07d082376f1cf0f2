import Foundation

/// A folder with the tiny experiment's config, a site and a cache, for tests that run the `ferlab` binary.
package struct TinyWorkspace {
    /// The folder.
    package let folder: TemporaryDirectory
    /// The site runs write by default.
    package var site: String { folder.file("site") }
    /// The cache runs use by default.
    package var cache: String { folder.file("cache") }

    /// A fresh folder holding `tiny.yaml`.
    package init() throws {
        folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config)
    }

    /// The arguments of a run of the tiny experiment into `out` (default: the site) with `cache` (default: the
    /// cache), plus `extra`.
    package func arguments(_ extra: [String] = [], out: String? = nil, cache: String? = nil) -> [String] {
        [
            "run", "tiny.yaml", "--out", out ?? site, "--cache", cache ?? self.cache, "--templates",
            ProjectFiles.path("Templates"),
        ] + extra
    }

    /// Runs the tiny experiment in the folder.
    package func run(
        _ extra: [String] = [], out: String? = nil, cache: String? = nil, environment: [String: String] = [:]
    ) throws -> CommandRunner.Outcome {
        try CommandRunner.run(arguments(extra, out: out, cache: cache), in: folder.path, environment: environment)
    }

    /// Runs the experiment and requires it to publish; returns the seconds it took.
    @discardableResult
    package func publish(
        _ extra: [String] = [], out: String? = nil, environment: [String: String] = [:]
    ) throws -> Double {
        let start = Date()
        let outcome = try run(extra, out: out, environment: environment)
        guard outcome.status == 0 else { throw RunFailed(status: outcome.status, errors: outcome.errors) }
        return Date().timeIntervalSince(start)
    }

    /// A run that was to publish and did not.
    package struct RunFailed: Error, CustomStringConvertible {
        /// Its exit status.
        package let status: Int32
        /// What it wrote to standard error.
        package let errors: String

        package var description: String { "ferlab run ended with status \(status): \(errors)" }
    }
}
