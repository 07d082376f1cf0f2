import FERCore
import Foundation

/// The write-up's PDF while it prints on a thread of its own: the site's
/// other files are made meanwhile, and the build waits for it before
/// publishing.
final class PendingPDF: Sendable {
    /// What printing gave: the PDF, the cache entries it read or wrote, and what the user should hear.
    struct Outcome: Sendable {
        var pdf: [UInt8]? = nil
        var cacheEntries: [String] = []
        var notes: [String] = []
    }

    private enum State: Sendable {
        case done(Outcome)
        case printing(OwnThread<Result<Outcome, any Error>>)
    }

    private let state: State

    /// An outcome known without printing (no PDF asked for, or no engine).
    init(done outcome: Outcome) {
        state = .done(outcome)
    }

    /// Starts `print` on a thread of its own, at once however busy the cores are.
    init(printing print: @escaping @Sendable () throws -> Outcome) {
        state = .printing(OwnThread { Result { try print() } })
    }

    /// The outcome, once printing has ended.
    /// - Throws: what stopped the printing other than the engine's own failure (which is a note).
    func wait() throws -> Outcome {
        switch state {
        case .done(let outcome): return outcome
        case .printing(let thread): return try thread.wait().get()
        }
    }
}
