import Foundation

/// The most memory this process has held since it started or since the
/// last `reset()`: the peak of its resident set (`VmHWM` in
/// `/proc/self/status`), in bytes. Unlike `getrusage`'s maximum, it starts
/// afresh at `exec`, so it never counts the memory of the process that
/// started FERLab, and a reset makes each run of a sweep or of `--watch`
/// measure its own.
enum PeakMemory {
    /// Starts the peak again from what the process holds now (where the system allows it).
    static func reset() {
        let descriptor = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = write(descriptor, "5", 1)  // 5: reset the resident set's high-water mark
        close(descriptor)
    }

    /// The peak in bytes (0 where the system does not say).
    static var bytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:     1234 kB"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return 0 }
            return kilobytes * 1024
        }
        return 0
    }
}
