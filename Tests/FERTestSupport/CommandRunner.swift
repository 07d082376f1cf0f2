import Foundation

/// Runs the built `ferlab` executable, which SwiftPM places beside the test bundle.
package enum CommandRunner {
    /// What a finished command left behind.
    package struct Outcome: Sendable {
        /// Exit status.
        package var status: Int32
        /// Everything written to standard output.
        package var output: String
        /// Everything written to standard error.
        package var errors: String
    }

    /// The `ferlab` binary of the current build.
    package static var executable: URL {
        let bundle = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = bundle.deletingLastPathComponent()
        // On macOS the runner sits inside an .xctest bundle; climb out of it.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents"
            || directory.lastPathComponent == "MacOS"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("ferlab")
    }

    /// Runs `ferlab` with `arguments` in `directory` and waits for it;
    /// `environment` adds to (or replaces in) the test's environment.
    /// With `memoryLimit` (kilobytes), the command runs under `ulimit -v` of that size.
    package static func run(
        _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:], memoryLimit: Int? = nil
    ) throws -> Outcome {
        let process = configured(arguments, in: directory, environment: environment)
        if let memoryLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(memoryLimit); exec \"$0\" \"$@\"", executable.path] + arguments
        }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// Starts `ferlab` with its output discarded and returns without waiting.
    package static func launch(
        _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Process {
        let process = configured(arguments, in: directory, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func configured(
        _ arguments: [String], in directory: String?, environment: [String: String]
    ) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        return process
    }
}
