import FERRun
import Foundation

/// Progress on standard error: a redrawn bar on a terminal, plain lines otherwise.
enum ConsoleOutput {
    static let isTerminal = isatty(STDERR_FILENO) != 0

    static let standardError = ReportRun.Console(
        note: { line in
            clearBar()
            note(line)
        },
        computing: { stage in
            clearBar()
            note("computing \(stage)")
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

    private static func clearBar() {
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
