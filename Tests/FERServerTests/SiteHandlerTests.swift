import FERTestSupport
import Foundation
import Testing

@testable import FERServer

@Suite struct SiteHandlerTests {
    private func site() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try folder.write("site/index.html", text: "<html><body><p>home</p></body></html>")
        try folder.write("site/figures/a.png", bytes: [0x89, 0x50, 0x4E, 0x47])
        try folder.write("site/results.json", text: "{}")
        try folder.write("secret.txt", text: "outside")
        return folder
    }

    private func type(_ response: SiteResponse) -> String? {
        response.headers.first { $0.0 == "Content-Type" }?.1
    }

    @Test func pathsOutsideTheSiteAreRefused() throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        for path in [
            "/../secret.txt", "/%2e%2e/secret.txt", "/figures/%2E%2E/%2e%2e/secret.txt", "/figures/../../secret.txt",
            folder.file("secret.txt"), "/./index.html", "/index.html%00.png", "/..%5csecret.txt", "/nope.html",
        ] {
            #expect(handler.resolve(path) == nil, "\(path) should not resolve")
        }
        #expect(handler.resolve("/") != nil)
        #expect(handler.resolve("/figures/a.png") != nil)
        #expect(handler.resolve("//figures//a.png") != nil)
    }

    @Test func symbolicLinksLeavingTheSiteAreRefused() throws {
        let folder = try site()
        try FileManager.default.createSymbolicLink(atPath: folder.file("site/escape"), withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(
            atPath: folder.file("site/link.json"), withDestinationPath: folder.file("secret.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.file("site/inside.json"), withDestinationPath: "results.json")
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        #expect(handler.resolve("/escape/secret.txt") == nil)
        #expect(handler.resolve("/link.json") == nil)
        #expect(handler.resolve("/inside.json") != nil)
    }

    @Test func onlyGetAndHeadAreAnswered() throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        for method in ["POST", "PUT", "DELETE"] {
            #expect(handler.respond(method: method, target: "/").status == 405)
        }
        #expect(handler.respond(method: "HEAD", target: "/results.json").status == 200)
    }

    @Test func contentTypesAndTheReloadScript() throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "<script src=\"/r.js\"></script>")
        let page = handler.respond(method: "GET", target: "/?from=test")
        #expect(type(page) == "text/html; charset=utf-8")
        #expect(
            String(decoding: page.body, as: UTF8.self)
                == "<html><body><p>home</p><script src=\"/r.js\"></script></body></html>")
        #expect(type(handler.respond(method: "GET", target: "/figures/a.png")) == "image/png")
        #expect(type(handler.respond(method: "GET", target: "/results.json")) == "application/json")
        #expect(handler.respond(method: "GET", target: "/missing.png").status == 404)
        #expect(handler.respond(method: "GET", target: "/favicon.ico").status == 204)
    }

    @Test func rebuildStampsChangeWhenTheRunLogIsReplaced() throws {
        let folder = try site()
        #expect(SiteServer.stamp(of: folder.file("site")) == "")
        try folder.write("site/run.json", text: "{\"a\":1}")
        let first = SiteServer.stamp(of: folder.file("site"))
        try folder.write("site/run.json", text: "{\"a\":22}")
        #expect(SiteServer.stamp(of: folder.file("site")) != first)
    }

    @Test func requestHeadsAreReadWithinLimits() {
        let good = Array("GET /a.png?x=1 HTTP/1.1\r\nHost: localhost:8000\r\nX-Thing:  two words \r\n\r\n".utf8)
        guard case .complete(let head, let length) = RequestHead.parse(good) else {
            Issue.record("a good head was not read")
            return
        }
        #expect(
            head
                == RequestHead(
                    method: "GET", target: "/a.png?x=1", headers: ["host": "localhost:8000", "x-thing": "two words"]))
        #expect(length == good.count)
        #expect(RequestHead.parse(Array(good.prefix(20))) == .incomplete)
        let longLine = Array(("GET /" + String(repeating: "a", count: 9000)).utf8)
        #expect(
            RequestHead.parse(longLine) == .refused(status: 414, reason: "the request line is longer than 8192 bytes"))
        let manyHeaders = Array(
            ("GET / HTTP/1.1\r\n" + String(repeating: "X-Filler: 0123456789\r\n", count: 4000)).utf8)
        #expect(
            RequestHead.parse(manyHeaders)
                == .refused(status: 431, reason: "the request headers are longer than 65536 bytes"))
        #expect(
            RequestHead.parse(Array("NONSENSE\r\n\r\n".utf8))
                == .refused(status: 400, reason: "the request line is not 'METHOD TARGET HTTP/1.x'"))
    }
}
