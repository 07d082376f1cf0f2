import FERReport
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
            } else {
                note("  \(stage): \(done)/\(total)")
            }
        })

    private static func clearBar() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
