import Foundation
import Synchronization

/// Cache entries written on a thread of their own, one after another, so that
/// the stages after the one that made an entry need not wait for the disk. A
/// lookup of an entry still being written waits for it (`waitIfPending`).
enum CacheWrites {
    /// One serial queue: its work gets a thread of its own even while parallel loops keep the shared pool busy.
    private static let queue = DispatchQueue(label: "FERLab.cache-writes", qos: .userInitiated)
    /// Entry files queued and not yet written, each with how many writes of it are queued.
    private static let pending = Mutex<[String: Int]>([:])

    /// Queues `write` of the entry at `path`, counted in `group`; `failed` is told what it threw.
    static func enqueue(
        path: String, group: DispatchGroup, failed: @escaping @Sendable (any Error) -> Void,
        _ write: @escaping @Sendable () throws -> Void
    ) {
        pending.withLock { $0[path, default: 0] += 1 }
        queue.async(group: group) {
            defer {
                pending.withLock { queued in
                    queued[path, default: 1] -= 1
                    if queued[path] == 0 { queued[path] = nil }
                }
            }
            do { try write() } catch { failed(error) }
        }
    }

    /// Waits until every write queued for the entry at `path` is done (the writes before them too).
    static func waitIfPending(_ path: String) {
        guard pending.withLock({ $0[path] != nil }) else { return }
        queue.sync {}
    }
}
