import FERFeatures
import FERTestSupport
import Foundation
import Testing

@testable import FERReport

/// Every feature method has its words in the built-in templates, so that a
/// method added to the registry never leaves a page saying "The models see ."
struct FeatureKindTextTests {
    @Test(arguments: FeatureKind.allCases.map(\.rawValue))
    func everyFeatureKindIsDescribedByTheFirstModelPageAndTheTemplatesGuide(name: String) throws {
        let kind = try #require(FeatureKind(rawValue: name))
        let key = TemplateChoice.key(kind)
        let page = try String(contentsOfFile: ProjectFiles.path("Templates/first-model.md.mustache"), encoding: .utf8)
        #expect(page.contains("{{#feature_kind.\(key)}}"), "first-model.md.mustache does not describe \(name)")
        let guide = try String(contentsOfFile: ProjectFiles.path("Templates/README.md"), encoding: .utf8)
        #expect(
            guide.contains("`\(key)`") || guide.contains("`feature_kind.\(key)`"),
            "Templates/README.md does not list \(name)")
    }
}
