#if canImport(Glibc)
import Glibc

/// FERLab runs BLAS on one thread (see `LinearAlgebra`), but OpenBLAS starts
/// a pool of worker threads as it loads, sized by `OPENBLAS_NUM_THREADS`
/// (else the number of cores), before `main` runs. The pool is never used,
/// and under an address-space limit (`ulimit -v`) a worker can spin forever
/// allocating its buffer, so that the process never exits.
///
/// An executable's `main` calls `startWithoutWorkerPool()` first: when
/// `OPENBLAS_NUM_THREADS` is not 1, it restarts the program with it set to 1,
/// which replaces the process and its pool. The user's own value travels in
/// `FERLAB_OPENBLAS_NUM_THREADS_WAS` and is put back, in the restarted
/// program, for the programs FERLab starts. (Debian's serial OpenBLAS, which
/// has no pool, is not safe to call from several threads at once: a stage's
/// results differed between two identical runs.)
package enum BLASThreads {
    private static let variable = "OPENBLAS_NUM_THREADS"
    private static let saved = "FERLAB_OPENBLAS_NUM_THREADS_WAS"

    /// Restarts this program once with `OPENBLAS_NUM_THREADS=1` unless it has that value; in the restarted
    /// program, puts the user's own value back. Without `/proc`, the program goes on with OpenBLAS's pool.
    package static func startWithoutWorkerPool() {
        if let was = getenv(saved).map({ String(cString: $0) }) {
            // Restarted already (whatever the value is now): never again.
            if was.isEmpty { unsetenv(variable) } else { setenv(variable, was, 1) }
            unsetenv(saved)
            return
        }
        let current = getenv(variable).map { String(cString: $0) }
        guard current != "1" else { return }
        var entries: [String] = []
        var entry = environ
        while let text = entry.pointee {
            let line = String(cString: text)
            if !line.hasPrefix(variable + "=") { entries.append(line) }
            entry += 1
        }
        entries += ["\(variable)=1", "\(saved)=\(current ?? "")"]
        let environment = entries.map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        _ = execve("/proc/self/exe", CommandLine.unsafeArgv, environment)
    }
}
#endif
