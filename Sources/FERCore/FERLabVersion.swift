/// The version of FERLab, recorded in every report it writes.
public enum FERLabVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
