import Foundation

/// The report's templates as built into the binary from the package's
/// `Templates` folder (by the EmbedTemplates build plugin), so `ferlab` runs
/// from any folder with nothing beside it.
package enum BuiltInTemplates {
    /// Every file, by its path in the templates folder (`captions/nearest.md.mustache`).
    package static let files: [String: [UInt8]] = Dictionary(
        encoded.map { entry in (entry.path, Array(Data(base64Encoded: entry.base64) ?? Data())) },
        uniquingKeysWith: { first, _ in first })
}
