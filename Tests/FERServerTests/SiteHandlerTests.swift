import FlyingFox
@testable import FERServer
import FERTestSupport
import Foundation
import Testing

@Suite struct SiteHandlerTests {
    private func site() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try folder.write("site/index.html", text: "<html><body><p>home</p></body></html>")
        try folder.write("site/figures/a.png", bytes: [0x89, 0x50, 0x4E, 0x47])
        try folder.write("site/results.json", text: "{}")
        try folder.write("secret.txt", text: "outside")
        return folder
    }

    private func request(_ method: HTTPMethod, _ path: String) -> HTTPRequest {
        HTTPRequest(method: method, version: .http11, path: path, query: [], headers: [:], body: Data())
    }

    @Test func pathsOutsideTheSiteAreRefused() throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/figures/%2E%2E/%2e%2e/secret.txt", "/figures/../../secret.txt",
                     folder.file("secret.txt"), "/./index.html", "/index.html%00.png", "/..%5csecret.txt", "/nope.html"] {
            #expect(handler.resolve(path) == nil, "\(path) should not resolve")
        }
        #expect(handler.resolve("/") != nil)
        #expect(handler.resolve("/figures/a.png") != nil)
        #expect(handler.resolve("//figures//a.png") != nil)
    }

    @Test func symbolicLinksLeavingTheSiteAreRefused() throws {
        let folder = try site()
        try FileManager.default.createSymbolicLink(atPath: folder.file("site/escape"), withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.file("site/link.json"), withDestinationPath: folder.file("secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: folder.file("site/inside.json"), withDestinationPath: "results.json")
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        #expect(handler.resolve("/escape/secret.txt") == nil)
        #expect(handler.resolve("/link.json") == nil)
        #expect(handler.resolve("/inside.json") != nil)
    }

    @Test func onlyGetAndHeadAreAnswered() async throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "")
        for method in [HTTPMethod.POST, .PUT, .DELETE] {
            #expect(try await handler.handleRequest(request(method, "/")).statusCode == .methodNotAllowed)
        }
        let head = try await handler.handleRequest(request(.HEAD, "/results.json"))
        #expect(head.statusCode == .ok)
        #expect(head.headers[.contentLength] == "2")
        #expect(try await head.bodyData.isEmpty)
    }

    @Test func contentTypesAndTheReloadScript() async throws {
        let folder = try site()
        let handler = SiteHandler(root: folder.file("site"), reloadSnippet: "<script src=\"/r.js\"></script>")
        let page = try await handler.handleRequest(request(.GET, "/"))
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        #expect(String(decoding: try await page.bodyData, as: UTF8.self) == "<html><body><p>home</p><script src=\"/r.js\"></script></body></html>")
        #expect(try await handler.handleRequest(request(.GET, "/figures/a.png")).headers[.contentType] == "image/png")
        #expect(try await handler.handleRequest(request(.GET, "/results.json")).headers[.contentType] == "application/json")
        #expect(try await handler.handleRequest(request(.GET, "/missing.png")).statusCode == .notFound)
    }

    @Test func rebuildStampsChangeWhenTheRunLogIsReplaced() throws {
        let folder = try site()
        #expect(SiteServer.stamp(of: folder.file("site")) == "")
        try folder.write("site/run.json", text: "{\"a\":1}")
        let first = SiteServer.stamp(of: folder.file("site"))
        try folder.write("site/run.json", text: "{\"a\":22}")
        #expect(SiteServer.stamp(of: folder.file("site")) != first)
    }
}
