import FERRun
import Foundation

/// Progress on standard error: on a terminal one line, redrawn as each stage
/// starts (with a bar for stages that count their steps); otherwise plain
/// lines. Quiet, it says nothing but errors.
enum ConsoleOutput {
    static let isTerminal = isatty(STDERR_FILENO) != 0

    /// A console saying nothing (errors are reported by the command itself).
    static let quiet = ExperimentRun.Console(note: { _ in }, computing: { _ in }, progress: { _, _, _ in })

    static let standardError = ExperimentRun.Console(
        note: { line in
            clearBar()
            note(line)
        },
        computing: { stage in
            if isTerminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K  computing \(stage)".utf8))
            } else {
                note("computing \(stage)")
            }
        },
        progress: { stage, done, total in
            if isTerminal {
                let width = 30, filled = total > 0 ? width * done / total : width
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                FileHandle.standardError.write(Data("\r  \(stage) [\(bar)] \(done)/\(total)".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            } else if quarters.advanced(stage: stage, done: done, total: total) {
                note("  \(stage): \(done)/\(total)")
            }
        })

    /// Plain progress lines only when a stage passes another quarter of its steps.
    private static let quarters = QuarterTracker()

    /// Clears the live line, before the run's closing lines.
    static func clearBar() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Remembers, per stage, the last quarter of its steps that was reported.
private final class QuarterTracker: @unchecked Sendable {
    private var reported: [String: Int] = [:]
    private let lock = NSLock()

    /// Whether `done` of `total` enters a quarter not reported yet; a stage starting again (`done` 0) starts over.
    func advanced(stage: String, done: Int, total: Int) -> Bool {
        let quarter = total > 0 ? 4 * done / total : 4
        return lock.withLock {
            guard done > 0 else {
                reported[stage] = 0
                return false
            }
            guard quarter > reported[stage, default: 0] else { return false }
            reported[stage] = quarter
            return true
        }
    }
}
