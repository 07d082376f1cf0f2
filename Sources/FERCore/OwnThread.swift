import Foundation
import Synchronization

/// Work running on a thread of its own rather than on the shared pool, for
/// work that waits (on a pipe, on a child process) or that must start at once:
/// the pool runs one thread per core, and while parallel loops keep them
/// busy, work queued behind them waits.
package final class OwnThread<Value: Sendable>: Sendable {
    private let ended = DispatchGroup()
    private let value = Mutex<Value?>(nil)

    /// Starts `body` on a new thread.
    package init(_ body: @escaping @Sendable () -> Value) {
        ended.enter()
        let thread = Thread { [self] in
            let result = body()
            value.withLock { $0 = result }
            ended.leave()
        }
        thread.start()
    }

    /// Waits for the work to end; its value.
    package func wait() -> Value {
        ended.wait()
        guard let result = value.withLock({ $0 }) else { preconditionFailure("the thread ended without a value") }
        return result
    }

    /// Waits for the work to end, until `deadline` at most; its value, or `nil` when it is still running.
    package func wait(until deadline: DispatchTime) -> Value? {
        guard ended.wait(timeout: deadline) == .success else { return nil }
        return value.withLock { $0 }
    }
}
