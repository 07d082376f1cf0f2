import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// Every key is declared once, in `ConfigSchema`; what is written about the keys elsewhere must agree with it.
@Suite struct ConfigSchemaTests {
    /// Whether a differing generated text is written over the file instead of failing.
    private static let rewrites = ProcessInfo.processInfo.environment["FERLAB_WRITE_GENERATED"] == "1"
    private static let advice = "FERLAB_WRITE_GENERATED=1 swift test --filter ConfigSchemaTests rewrites it"

    @Test func theReadmesTableOfKeysIsTheSchemas() throws {
        let path = ProjectFiles.path("README.md")
        let readme = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(readme.range(of: "| key | default | meaning |"))
        let end = readme.range(of: "\n\n", range: start.lowerBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
        let table = String(readme[start.lowerBound..<end])
        if Self.rewrites && table != ConfigSchema.readmeTable {
            try (readme.replacingCharacters(in: start.lowerBound..<end, with: ConfigSchema.readmeTable))
                .write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(table == ConfigSchema.readmeTable, "the README's table of keys differs from the schema; \(Self.advice)")
    }

    @Test func theShippedDefaultFileIsTheSchemas() throws {
        let path = ProjectFiles.path("Reports/default.yaml")
        let shipped = try String(contentsOfFile: path, encoding: .utf8)
        if Self.rewrites && shipped != ExperimentConfig.builtInDefaultText {
            try ExperimentConfig.builtInDefaultText.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            shipped == ExperimentConfig.builtInDefaultText,
            "Reports/default.yaml differs from the schema; \(Self.advice)")
    }

    @Test func keysAreDeclaredOnceAndGroupsHoldKeys() {
        let paths = ConfigSchema.keys.map(\.path)
        #expect(Set(paths).count == paths.count)
        for group in ConfigSchema.groups.keys { #expect(paths.contains { $0.hasPrefix(group + ".") }, "\(group)") }
    }

    /// Each key is read with its default when left out, and another of its values shows in the flattened view
    /// `ferlab diff` and `runs` compare, under the key or its section.
    @Test(arguments: ConfigSchema.keys.map(\.path))
    func everyKeyReadsItsValueAndShowsItInTheFlattenedView(_ path: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.path == path })
        let defaults = try ExperimentConfig.builtInDefault
        let shownAs = ConfigSchema.groups.keys.first { key.section == $0 } ?? path
        guard key.path != "sweep" else { return }
        #expect(defaults.flattened[shownAs] != nil, "\(shownAs) is missing from the flattened view")
        let changed = key.alternatives.lazy.compactMap { assignment -> ExperimentConfig? in
            try? ExperimentConfig.parse(
                ExperimentConfig.builtInDefaultText, file: "default.yaml", overrides: [assignment])
        }.first { $0 != defaults }
        guard let changed else {
            // Paths and texts have no other value worth naming here.
            #expect(
                ["name", "dataset.path", "features.landmarks.model", "report.templates", "split.groups"].contains(path),
                "no other value of \(path) is accepted: \(key.alternatives)")
            return
        }
        #expect(
            changed.flattened[shownAs] != defaults.flattened[shownAs], "changing \(path) does not show in \(shownAs)")
    }
}
