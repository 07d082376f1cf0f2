import Dispatch
import NIOCore
import Synchronization

/// The connections being served, bounded: each is counted from its accept
/// until it closes, and is listed as reading while it waits for a request
/// head (a new connection, or one kept open after an answer), so that the
/// one reading the longest can be closed to make room for a new one. A
/// connection being answered (a download, a page listening for reloads) is
/// never closed to make room.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When it began waiting for a head; `nil` while it is answered.
        var readingSince: UInt64?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    /// Connections served at once.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts `channel` in as reading; at the limit, first closes the connection reading the longest to make room,
    /// or refuses (`false`) when none is reading.
    func admit(_ channel: any Channel) -> Bool {
        let admission: (admitted: Bool, evicted: (any Channel)?) = entries.withLock { entries in
            var evicted: (any Channel)? = nil
            if entries.count >= limit {
                let reading = entries.compactMap { key, entry in entry.readingSince.map { (key, $0) } }
                guard let oldest = reading.min(by: { $0.1 < $1.1 })?.0 else { return (false, nil) }
                evicted = entries.removeValue(forKey: oldest)?.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, readingSince: Self.now)
            return (true, evicted)
        }
        admission.evicted?.close(promise: nil)
        return admission.admitted
    }

    /// `channel` waits for its next request head from now on.
    func reading(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.readingSince = Self.now }
    }

    /// `channel`'s head has arrived and is being answered: it is not closed to make room.
    func answering(_ channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.readingSince = nil }
    }

    /// `channel` has closed.
    func leave(_ channel: any Channel) {
        entries.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    private static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
}
