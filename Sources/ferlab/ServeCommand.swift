import ArgumentParser
import FERServer
import Foundation

/// `ferlab serve`: the site on a local web server, reloading open pages on rebuilds.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a report site on this machine; open pages reload when the site is rebuilt.",
        discussion: "Run `ferlab run --watch` beside it to rebuild on every change to the config or the templates."
    )

    @Argument(help: "The site folder.")
    var site: String = "Reports/_site/default"

    @Option(help: "The port.")
    var port: UInt16 = 8000

    @Option(help: "The address to listen on; other machines can reach the site only if you change it.")
    var host: String = "127.0.0.1"

    @Flag(help: "Open the site in the system's web browser.")
    var open = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: (site as NSString).appendingPathComponent("index.html")) else {
            note("ferlab: error: \(site): no report site here; build one with `ferlab run` first")
            throw ExitCode.failure
        }
        let server = SiteServer(root: site, host: host, port: port)
        let openBrowser = open
        do {
            try await server.run {
                FileHandle.standardOutput.write(Data("serving \(site) at \(server.url) (Ctrl-C to stop)\n".utf8))
                if openBrowser { Browser.open(server.url) }
            }
        } catch let error as ServeError {
            note("ferlab: error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Opens a URL in the system's browser, where the machine has one.
enum Browser {
    static func open(_ url: String) {
        for opener in ["/usr/bin/xdg-open", "/usr/bin/open", "/usr/bin/sensible-browser"]
        where FileManager.default.isExecutableFile(atPath: opener) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [url]
            if (try? process.run()) != nil { return }
        }
        note("no web browser found here; open \(url) yourself")
    }
}
