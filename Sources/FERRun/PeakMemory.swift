#if canImport(Glibc)
import Glibc
#endif

/// The most memory this process has held so far: its peak resident set, as
/// the kernel counts it (`getrusage`), in bytes.
enum PeakMemory {
    /// The peak in bytes (0 where the kernel does not say).
    static var bytes: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024  // Linux counts kilobytes
    }
}
