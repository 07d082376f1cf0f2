import Foundation

/// The start of an HTTP/1.1 request: its request line and headers, read with
/// hard limits so that an endless line or a flood of headers costs a bounded
/// amount of work and memory (as common servers do: 8 KB for the request
/// line, 64 KB for the whole head).
struct RequestHead: Equatable, Sendable {
    /// The method, as sent (`GET`).
    var method: String
    /// The request target, as sent (`/figures/a.png?x=1`).
    var target: String
    /// Header values by lower-cased name (a repeated header keeps its last value; a repeated `Host` is refused).
    var headers: [String: String]

    /// Whether a body follows the head (`Content-Length` above 0, or `Transfer-Encoding`).
    var declaresBody: Bool {
        headers["transfer-encoding"] != nil || (headers["content-length"].map { $0 != "0" } ?? false)
    }

    /// The most bytes a request line may have.
    static let longestRequestLine = 8 << 10
    /// The most bytes the request line and headers together may have.
    static let longestHead = 64 << 10

    /// What reading a head from the bytes received so far gives.
    enum Parse: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole head, and how many bytes it took (a body may follow).
        case complete(RequestHead, length: Int)
        /// The request must be refused with this status (414, 431 or 400).
        case refused(status: Int, reason: String)
    }

    /// Parses `bytes`, the start of a connection's input. Each call scans
    /// the bytes once, so feeding a growing buffer is linear in its length
    /// because the limits stop it early.
    static func parse(_ bytes: [UInt8]) -> Parse {
        guard let end = find(crlfcrlf, in: bytes, limit: longestHead) else {
            if find(crlf, in: bytes, limit: longestRequestLine + 2) == nil && bytes.count > longestRequestLine {
                return .refused(status: 414, reason: "the request line is longer than \(longestRequestLine) bytes")
            }
            if bytes.count > longestHead {
                return .refused(status: 431, reason: "the request headers are longer than \(longestHead) bytes")
            }
            return .incomplete
        }
        let lines = bytes[..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self) }
        guard let requestLine = lines.first, requestLine.utf8.count <= longestRequestLine else {
            return .refused(status: 414, reason: "the request line is longer than \(longestRequestLine) bytes")
        }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return .refused(status: 400, reason: "the request line is not 'METHOD TARGET HTTP/1.x'")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                return .refused(status: 400, reason: "a header line has no ':'")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            // Two Host headers leave the request's origin ambiguous (RFC 9112, section 3.2).
            if name == "host" && headers[name] != nil {
                return .refused(status: 400, reason: "the request has more than one Host header")
            }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return .complete(
            RequestHead(method: String(parts[0]), target: String(parts[1]), headers: headers),
            length: end + crlfcrlf.count)
    }

    private static let crlf: [UInt8] = [13, 10]
    private static let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    /// Where `pattern` starts in the first `limit` bytes, if it does.
    private static func find(_ pattern: [UInt8], in bytes: [UInt8], limit: Int) -> Int? {
        let last = min(bytes.count, limit + pattern.count) - pattern.count
        guard last >= 0 else { return nil }
        var index = 0
        while index <= last {
            if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index
            }
            index += 1
        }
        return nil
    }
}
