import ArgumentParser
import Foundation

/// Runs a command body, printing any failure as one `ferlab: error: ...` line
/// on standard error and exiting with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("ferlab: error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes a line to standard error (progress and notes, kept out of the data on standard output).
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
