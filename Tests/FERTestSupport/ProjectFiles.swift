import Foundation

/// Files of the project itself (templates, shipped configs), found from this source file's location.
package enum ProjectFiles {
    /// The package's root folder.
    package static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A path inside the package.
    package static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }
}
