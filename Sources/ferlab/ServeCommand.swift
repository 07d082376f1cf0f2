import ArgumentParser
import FERCore
import FERRun
import FERServer
import Foundation

/// `ferlab serve`: the site on a local web server, reloading open pages on rebuilds.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a report site on this machine; open pages reload when the site is rebuilt.",
        discussion: """
            Run `ferlab run --watch` beside it to rebuild on every change to the config or the templates. \
            Without --port, the first free port from 8000 on is used; --port 0 lets the system choose.
            """
    )

    @Argument(
        help:
            "The site folder (default: the default experiment's: Reports/_site/default in a FERLab project, else ferlab-site/default)."
    )
    var site: String = OutputLocations().site(experiment: "default")

    @Option(help: "The port (default: the first free one from 8000).")
    var port: UInt16?

    @Option(help: "The address to listen on; other machines can reach the site only if you change it.")
    var host: String = "127.0.0.1"

    @Flag(help: "Open the site in the system's web browser.")
    var open = false

    /// Ports tried in turn when none is given.
    private static let defaultPorts: ClosedRange<UInt16> = 8000...8019

    func run() async throws {
        guard FileManager.default.fileExists(atPath: (site as NSString).appendingPathComponent("index.html")) else {
            note("ferlab: error: \(site): no report site here; build one with `ferlab run` first")
            throw ExitCode.failure
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        if !loopback {
            note("warning: serving \(site) to every machine that can reach \(host); anyone on the network can read it")
        }
        let server: SiteServer
        do {
            server = try await start(acceptsAnyHost: !loopback)
        } catch let error as ServeError {
            note("ferlab: error: \(error)")
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(Data("serving \(site) at \(server.url) (Ctrl-C to stop)\n".utf8))
        if open { Browser.open(server.url) }
        while true { try await Task.sleep(nanoseconds: 1_000_000_000) }
    }

    /// A started server: on the given port, or the first free default one.
    private func start(acceptsAnyHost: Bool) async throws -> SiteServer {
        let address = host == "localhost" ? "127.0.0.1" : host
        let ports = port.map { $0...$0 } ?? Self.defaultPorts
        for candidate in ports {
            let server = SiteServer(root: site, host: address, port: candidate, acceptsAnyHost: acceptsAnyHost)
            do {
                try await server.start()
                return server
            } catch let error as ServeError where error.portInUse && port == nil && candidate < ports.upperBound {
                continue
            }
        }
        throw ServeError.noFreePort(in: ports)
    }
}

/// Opens a URL in the system's browser, where the machine has one.
enum Browser {
    static func open(_ url: String) {
        for opener in ["/usr/bin/xdg-open", "/usr/bin/open", "/usr/bin/sensible-browser"]
        where FileManager.default.isExecutableFile(atPath: opener) {
            guard let process = try? ChildProcess(executable: opener, arguments: [url]) else { continue }
            if process.wait() == .exited(0) { return }
        }
        note("no web browser could be opened here; open \(url) yourself")
    }
}
