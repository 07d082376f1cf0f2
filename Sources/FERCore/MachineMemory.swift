#if canImport(Glibc)
import Glibc
#endif

/// The memory this process may use: what runs are estimated against and
/// what a file is allowed to inflate to.
package enum MachineMemory {
    /// The bytes this process may use: the machine's memory, or less where a limit is set (`ulimit -v`).
    package static var available: Int {
        var limit = rlimit()
        let physical = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE))
        var bytes = physical > 0 ? physical : Int.max
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            bytes = min(bytes, Int(clamping: limit.rlim_cur))
        }
        return bytes
    }

    /// `bytes` in gigabytes with one decimal, as messages give it: `5.5 GB`.
    package static func gigabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000_000) / 100_000_000
        return "\(tenths / 10).\(tenths % 10) GB"
    }
}
