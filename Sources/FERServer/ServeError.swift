import Foundation
import NIOCore

/// A server that could not start, said in words.
package struct ServeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    package let description: String
    /// Whether the port was taken (another port may do).
    package let portInUse: Bool

    init(_ description: String, portInUse: Bool = false) {
        self.description = description
        self.portInUse = portInUse
    }

    /// Why listening on `host:port` failed with `error`.
    init(listeningOn host: String, port: UInt16, failure error: any Error) {
        guard let code = (error as? IOError)?.errnoCode else {
            self.init("cannot listen on \(host):\(port): \(error)")
            return
        }
        switch code {
        case EADDRINUSE:
            self.init(
                "port \(port) on \(host) is in use by another program; pass another --port (0 lets the system choose)",
                portInUse: true)
        case EACCES: self.init("port \(port) on \(host) needs privileges this user lacks; use a port above 1023")
        case EADDRNOTAVAIL: self.init("\(host) is not an address of this machine")
        default: self.init("cannot listen on \(host):\(port): \(String(cString: strerror(code)))")
        }
    }

    /// Every port of `ports` was taken.
    package static func noFreePort(in ports: ClosedRange<UInt16>) -> ServeError {
        ServeError(
            "ports \(ports.lowerBound)-\(ports.upperBound) are all in use; pass a free one with --port (0 lets the system choose)"
        )
    }
}
