/// The version of FERLab, recorded in every report it writes.
package enum FERLabVersion {
    /// Semantic version of this build.
    package static let current = "0.1.0"
}
