import FERMath
import Foundation
import Testing

@testable import FERFeatures

/// The registry of feature methods: names, titles and the model file's form of each method.
struct FeatureMethodsTests {
    private static let configuration = FeatureConfiguration(
        scaling: .minMaxPerImage, hog: HOG(cell: 8, block: 2, orientations: 9, norm: .l2Hys), lbp: LBP(cell: 12),
        landmarkComponents: 10, alignedHOGComponents: 40, seed: 3)

    private static func json(_ extractor: FeatureExtractor) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(extractor), as: UTF8.self)
    }

    /// The model file's form of every shipped method, as model files written before the registry hold it.
    @Test(arguments: [
        ("pixels", #"{"pixels":{"_0":"minmax-per-image"}}"#),
        ("hog", #"{"hog":{"_0":{"block":2,"cell":8,"norm":"l2-hys","orientations":9}}}"#),
        ("lbp", #"{"lbp":{"_0":{"cell":12}}}"#),
        ("hog+lbp", #"{"hogLBP":{"_0":{"block":2,"cell":8,"norm":"l2-hys","orientations":9},"_1":{"cell":12}}}"#),
        ("landmarks", #"{"landmarks":{}}"#),
        ("aligned-hog", #"{"alignedHOG":{"_0":{"block":2,"cell":8,"norm":"l2-hys","orientations":9}}}"#),
        (
            "landmarks+aligned-hog",
            #"{"blocks":{"_0":[{"landmarks":{}},{"alignedHOG":{"_0":{"block":2,"cell":8,"norm":"l2-hys","orientations":9}}}],"components":[10,40],"seed":3}}"#
        ),
    ])
    func everyMethodKeepsItsModelFileForm(name: String, expected: String) throws {
        let kind = try #require(FeatureKind(rawValue: name))
        let extractor = kind.extractor(Self.configuration)
        #expect(try Self.json(extractor) == expected)
        let decoded = try JSONDecoder().decode(FeatureExtractor.self, from: Data(expected.utf8))
        #expect(decoded == extractor)
        #expect(decoded.hashValue == extractor.hashValue)
    }

    @Test func namesAreUniqueAndEveryKindIsListed() {
        let names = FeatureMethods.all.map { $0.name }, codings = FeatureMethods.all.map { $0.codingName }
        #expect(Set(names).count == names.count)
        #expect(Set(codings).count == codings.count)
        #expect(FeatureKind.allCases.map(\.rawValue) == names)
        #expect(FeatureKind(rawValue: "hog+lbp")?.title == "HOG+LBP")
        #expect(FeatureKind(rawValue: "hog+lbp")?.identifier == "hog-lbp")
        #expect(FeatureKind(rawValue: "sift") == nil)
    }

    @Test func differentSettingsAreDifferentExtractors() {
        let small = FeatureExtractor(HOGFeatures(HOG(cell: 6))), large = FeatureExtractor(HOGFeatures(HOG(cell: 8)))
        #expect(small != large)
        #expect(FeatureExtractor(HOGFeatures(HOG())) != FeatureExtractor(AlignedHOG(HOG())))
        #expect(Set([small, large, FeatureExtractor(HOGFeatures(HOG(cell: 6)))]).count == 2)
    }

    @Test func aModelFileNamingAnUnknownMethodOrMalformedBlocksIsRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FeatureExtractor.self, from: Data(#"{"sift":{}}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FeatureExtractor.self, from: Data(#"{"hog":{},"lbp":{}}"#.utf8))
        }
        let swapped =
            #"{"blocks":{"_0":[{"alignedHOG":{"_0":{"block":2,"cell":8,"norm":"l2-hys","orientations":9}}},"#
            + #"{"landmarks":{}}],"components":[10,40],"seed":3}}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FeatureExtractor.self, from: Data(swapped.utf8))
        }
    }
}
