import CMachine
import Foundation
import Synchronization

/// A program FERLab starts (a user's step, the PDF engine, a browser): in
/// FERLab's own process group, so that Ctrl-C in the terminal stops it too;
/// with no signal blocked or ignored, whichever thread starts it, so that a
/// polite SIGTERM reaches it; and holding none of FERLab's descriptors but the
/// three it is given.
package final class ChildProcess: Sendable {
    /// How a program ended.
    package enum Ending: Equatable, Sendable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// This signal ended it.
        case killed(by: Int32)

        /// "stopped with status 3", "was killed by signal 9": what follows the program's name in a message.
        package var description: String {
            switch self {
            case .exited(let status): "stopped with status \(status)"
            case .killed(let signal): "was killed by signal \(signal)"
            }
        }
    }

    /// Why a program could not be started.
    package struct StartFailure: Error, CustomStringConvertible {
        /// The system's words for it.
        package let description: String
    }

    /// Its process identifier.
    package let identifier: pid_t
    /// Whether it has ended; set before its identifier is released, so a signal is never sent to a process that
    /// took the number over.
    private let ended = Mutex(false)

    /// Starts `executable` (a path) with `arguments`, in `environment` (FERLab's own when `nil`). Standard input,
    /// output and error are the descriptors given (`nil`: /dev/null); they stay open here.
    /// - Throws: `StartFailure` when the program cannot be started (missing, not executable, ...).
    package init(
        executable: String, arguments: [String], environment: [String: String]? = nil,
        input: Int32? = nil, output: Int32? = nil, error: Int32? = nil
    ) throws(StartFailure) {
        let null = Glibc.open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target) in [(input, STDIN_FILENO), (output, STDOUT_FILENO), (error, STDERR_FILENO)] {
            posix_spawn_file_actions_adddup2(&actions, descriptor ?? null, target)
        }
        ferlab_spawn_closes_from(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), catchable = sigset_t()
        sigemptyset(&none)
        sigemptyset(&catchable)
        for signal in Int32(1)...31 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&catchable, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &catchable)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables =
            (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + variables).forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard status == 0 else { throw StartFailure(description: String(cString: strerror(status))) }
        identifier = pid
    }

    /// Whether it has ended (known once `wait()` has seen it end).
    package var hasEnded: Bool { ended.withLock { $0 } }

    /// Sends `signal` to it, unless it has ended.
    package func send(_ signal: Int32) {
        ended.withLock { if !$0 { _ = kill(identifier, signal) } }
    }

    /// Writes all of `bytes` to `descriptor`, a pipe a program reads; false when it stops reading (the pipe's
    /// SIGPIPE, which would end FERLab, is held back on this thread and discarded).
    package static func feed(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var pipeSignal = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1, sigismember(&previous, SIGPIPE) == 0 {
                var now = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// Waits for its end; called once.
    package func wait() -> Ending {
        // Seen ended but not yet reaped, so that `send` cannot reach a process that reuses its identifier.
        var info = siginfo_t()
        while waitid(P_PID, id_t(identifier), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        ended.withLock { $0 = true }
        var status: Int32 = 0
        while waitpid(identifier, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .killed(by: status & 0x7f)
    }
}
