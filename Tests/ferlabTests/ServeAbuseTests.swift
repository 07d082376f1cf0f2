import FERTestSupport
import Foundation
import Testing

/// `ferlab serve` under abuse, on loopback only: idle and trickling sockets,
/// a flood of pages listening for reloads, large downloads, an ambiguous
/// `Host`. The server runs as its own process (with at most 512 descriptors)
/// so its memory and processor time are its own.
@Suite(.serialized) struct ServeAbuseTests {
    /// A running `ferlab serve` of a small site with one large file.
    private final class Server {
        let folder: TemporaryDirectory
        let process: Process
        let port: UInt16

        init() throws {
            folder = try TemporaryDirectory()
            try folder.write("site/index.html", text: "<html><body>home</body></html>")
            try folder.write("site/run.json", text: "{}")
            let large = try folder.write("site/large.bin", bytes: [7])
            #expect(truncate(large, off_t(Self.largeSize)) == 0)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "ulimit -n 512; exec \"$0\" serve \"$1\" --port 0", CommandRunner.executable.path,
                folder.file("site"),
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "serving SITE at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let piece = output.fileHandleForReading.availableData
                if piece.isEmpty { break }
                line += piece
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
                let port = UInt16(text[range].split(separator: ":")[1])
            else {
                process.terminate()
                throw POSIXError(.ECONNREFUSED)
            }
            self.port = port
        }

        static let largeSize = 300 << 20

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        /// The answer's status line to a GET of `path`, with `headers`.
        func get(_ path: String = "/", headers: String = "Host: 127.0.0.1\r\n", seconds: Double = 10) -> String {
            guard let client = try? RawTCPClient(port: port) else { return "" }
            client.send("GET \(path) HTTP/1.1\r\n\(headers)Connection: close\r\n\r\n")
            let answer = client.receive(limit: 4096, seconds: seconds) {
                String(decoding: $0, as: UTF8.self).contains("\r\n")
            }
            return String(decoding: answer, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
        }

        /// A field of the server's `/proc/PID/status` in kilobytes (`VmHWM`, peak memory).
        func status(_ field: String) -> Int {
            let text = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
            let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }

        /// Processor seconds the server has used.
        var processorSeconds: Double {
            let text = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
            let fields = text.split(separator: ")").last?.split(separator: " ") ?? []
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }

    @Test func idleAndTricklingSocketsDoNotKeepARequestOut() throws {
        let server = try Server()
        let idle = try (0..<500).map { _ in try RawTCPClient(port: server.port) }
        #expect(server.get().hasPrefix("HTTP/1.1 200"), "with 500 idle connections")
        let trickling = try (0..<300).map { _ in try RawTCPClient(port: server.port) }
        for round in 0..<3 {
            for client in trickling { client.send(round == 0 ? "G" : "E") }
            #expect(server.get().hasPrefix("HTTP/1.1 200"), "with 300 trickling connections, round \(round)")
        }
        withExtendedLifetime(idle) {}
    }

    @Test func listenersAreCappedAndAnIdleServerDoesNotSpin() throws {
        let server = try Server()
        var listeners: [RawTCPClient] = []
        var refused = 0
        for _ in 0..<200 {
            let client = try RawTCPClient(port: server.port)
            client.send("GET /_ferlab/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let start = String(
                decoding: client.receive(limit: 4096, seconds: 10) {
                    String(decoding: $0, as: UTF8.self).contains("\r\n")
                },
                as: UTF8.self)
            if start.hasPrefix("HTTP/1.1 503") { refused += 1 } else { listeners.append(client) }
        }
        #expect(listeners.count == 64 && refused == 136, "\(listeners.count) listening, \(refused) refused")
        #expect(server.get().hasPrefix("HTTP/1.1 200"))
        let before = server.processorSeconds
        usleep(2_000_000)
        #expect(server.processorSeconds - before < 0.5, "the server used the processor while idle")
    }

    @Test func largeFilesAreSentInPiecesAndAnAmbiguousHostIsRefused() async throws {
        let server = try Server()
        let port = server.port
        let sizes = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    guard let client = try? RawTCPClient(port: port) else { return 0 }
                    client.send("GET /large.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    var total = 0
                    while true {
                        let piece = client.receive(limit: 8 << 20, seconds: 60)
                        if piece.isEmpty { break }
                        total += piece.count
                    }
                    return total
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sizes.allSatisfy { $0 > ServeAbuseTests.Server.largeSize }, "\(sizes)")
        #expect(server.status("VmHWM") < 200_000, "peak memory \(server.status("VmHWM")) KB")
        #expect(server.get(headers: "Host: 127.0.0.1\r\nHost: rebound.example\r\n").hasPrefix("HTTP/1.1 400"))
    }
}
