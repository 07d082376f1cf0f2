import Foundation
import Synchronization
import Testing

@testable import FERCore

/// Programs FERLab starts hear the signals meant for them (a timeout's
/// SIGTERM, Ctrl-C in the terminal) and hold none of FERLab's files.
@Suite struct ChildProcessTests {
    /// What `executable` with `arguments` writes on its standard output, and how it ended, started from a
    /// Dispatch worker thread (as a stage starts it: such threads block most signals).
    private static func output(
        of executable: String, _ arguments: [String]
    ) throws -> (text: String, ending: ChildProcess.Ending) {
        let pipe = Pipe()
        let started = Mutex<Result<ChildProcess, ChildProcess.StartFailure>?>(nil)
        DispatchQueue.global().sync {
            started.withLock {
                $0 = Result { () throws(ChildProcess.StartFailure) in
                    try ChildProcess(
                        executable: executable, arguments: arguments, output: pipe.fileHandleForWriting.fileDescriptor)
                }
            }
        }
        let process = try #require(started.withLock { $0 }).get()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (text, process.wait())
    }

    /// The value of `field` in a `/proc/PID/status` text.
    private static func field(_ field: String, in status: String) -> String? {
        status.split(separator: "\n").first { $0.hasPrefix(field + ":") }?
            .dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
    }

    @Test func aProgramStartsWithNoSignalBlockedOrIgnoredInFERLabsProcessGroup() throws {
        let (status, ending) = try Self.output(of: "/bin/cat", ["/proc/self/status"])
        #expect(ending == .exited(0))
        #expect(Self.field("SigBlk", in: status) == "0000000000000000")
        // Signals 1-31, the ones a user sends (glibc keeps 32 and 33 for itself).
        let ignored = try #require(Self.field("SigIgn", in: status).flatMap { UInt64($0, radix: 16) })
        #expect(ignored & 0x7fff_ffff == 0)
        // The fifth field of /proc/PID/stat, after the name in parentheses, is the process group.
        let (stat, _) = try Self.output(of: "/bin/cat", ["/proc/self/stat"])
        let group = stat.split(separator: ")").last?.split(separator: " ").dropFirst(2).first
        #expect(group.flatMap { Int32($0) } == getpgrp())
    }

    @Test func aProgramHoldsNoneOfFERLabsOpenFiles() throws {
        let folder = NSTemporaryDirectory() + "ferlab-child-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/held"
        let descriptor = open(file, O_CREAT | O_WRONLY, 0o600)  // without O_CLOEXEC, as a careless library might
        #expect(descriptor > 2)
        defer { close(descriptor) }
        let (listing, _) = try Self.output(of: "/bin/ls", ["-l", "/proc/self/fd"])
        #expect(listing.contains("/proc/") && !listing.contains(file))
    }

    @Test func aSignalReachesItAndItsEndingIsToldInWords() throws {
        let process = try ChildProcess(executable: "/bin/sleep", arguments: ["60"])
        process.send(SIGTERM)
        #expect(process.wait() == .killed(by: SIGTERM))
        #expect(process.hasEnded)
        process.send(SIGKILL)  // ended: nothing is sent
        #expect("\(ChildProcess.Ending.killed(by: 9))" == "was killed by signal 9")
        #expect("\(try Self.output(of: "/bin/sh", ["-c", "exit 3"]).ending)" == "stopped with status 3")
        #expect(throws: ChildProcess.StartFailure.self) {
            try ChildProcess(executable: "/nonexistent/program", arguments: [])
        }
    }
}
