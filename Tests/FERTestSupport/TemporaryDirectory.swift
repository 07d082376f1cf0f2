import Foundation

/// A fresh directory under the system's temporary folder, removed with its
/// contents when the value is released.
package final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path.
    package let path: String

    /// Creates an empty directory.
    package init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("ferlab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The absolute path of `relative` inside the directory.
    package func file(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    /// Writes `bytes` to `relative`, creating intermediate folders; returns the path.
    @discardableResult
    package func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let target = file(relative)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Writes UTF-8 `text` to `relative`; returns the path.
    @discardableResult
    package func write(_ relative: String, text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Creates an empty folder at `relative`; returns the path.
    @discardableResult
    package func makeFolder(_ relative: String) throws -> String {
        let target = file(relative)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }
}
