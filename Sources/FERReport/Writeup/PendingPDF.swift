import Foundation

/// The write-up's PDF while it prints on another thread: the site's other
/// files are made meanwhile, and the build waits for it before publishing.
final class PendingPDF: @unchecked Sendable {
    /// What printing gave: the PDF, its cache entry, and what the user should hear.
    struct Outcome {
        var pdf: [UInt8]? = nil
        var cacheEntry: String? = nil
        var notes: [String] = []
    }

    private let group = DispatchGroup()
    // Written once on the printing thread before `group` is left, read only after waiting on it.
    private var result: Result<Outcome, Error> = .success(Outcome())

    /// An outcome known without printing (no PDF asked for, or no engine).
    init(done outcome: Outcome) {
        result = .success(outcome)
    }

    /// Starts `print` on another thread.
    init(printing print: @escaping @Sendable () throws -> Outcome) {
        group.enter()
        DispatchQueue.global().async {
            self.result = Result { try print() }
            self.group.leave()
        }
    }

    /// The outcome, once printing has ended.
    /// - Throws: what stopped the printing other than the engine's own failure (which is a note).
    func wait() throws -> Outcome {
        group.wait()
        return try result.get()
    }
}
