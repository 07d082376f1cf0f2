import FERTestSupport
import Foundation
import Testing

@testable import FERReport

/// Publishing a site beside the user's entries, and recovering them from a
/// run killed halfway.
@Suite struct SitePublisherTests {
    private func publish(_ files: [String: String], to path: String) throws -> [String] {
        let folder = try SiteFolder(path, protected: [], replacingForeignFolder: false)
        return try SitePublisher.publish(files.mapValues { Array($0.utf8) }, to: folder, experiment: "test")
    }

    @Test func onlyAMarkerInFERLabsFormatListsWrittenFiles() {
        let marker = SiteFolder.marker(experiment: "x", files: ["index.html", "figures/a.png"])
        #expect(SiteFolder.writtenFiles(marker: marker) == ["index.html", "figures/a.png"])
        for text in ["", "\n", "FERLab report site\n  a\n", String(decoding: marker, as: UTF8.self) + "  ../up\n"] {
            #expect(SiteFolder.writtenFiles(marker: Array(text.utf8)) == nil, "\(text)")
        }
        // A marker listing no file is not one FERLab writes.
        #expect(SiteFolder.writtenFiles(marker: SiteFolder.marker(experiment: "x", files: [])) == nil)
    }

    @Test func entriesOfAKilledPublishAreMovedBackBeforeTheLeftoverGoes() throws {
        let folder = try TemporaryDirectory()
        let site = folder.file("site")
        _ = try publish(["index.html": "one", "figures/a.png": "png"], to: site)
        // A publish killed after it moved the user's notes into its staging folder (of a process that has ended).
        let staging = folder.file(".site.staging-999999")
        try folder.write(".site.staging-999999/index.html", text: "two")
        try folder.write(".site.staging-999999/notes/today.txt", text: "mine")
        try folder.write(".site.staging-999999/figures/mine.txt", text: "also mine")
        // The half-written file of one it was writing (figures/a.png) is FERLab's, not the user's: it goes.
        try folder.write(
            ".site.staging-999999/.ferlab-site",
            bytes: SiteFolder.marker(experiment: "test", files: ["index.html", "figures/a.png"]))
        try folder.write(".site.staging-999999/figures/.a.png.999999.tmp", text: "pn")
        let kept = try publish(["index.html": "three", "figures/a.png": "png"], to: site)
        #expect(kept == ["figures/mine.txt", "notes/"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "\(site)/figures").sorted() == ["a.png", "mine.txt"])
        #expect(try String(contentsOfFile: "\(site)/notes/today.txt", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: "\(site)/figures/mine.txt", encoding: .utf8) == "also mine")
        #expect(try String(contentsOfFile: "\(site)/index.html", encoding: .utf8) == "three")
        #expect(!FileManager.default.fileExists(atPath: staging))
    }

    @Test func aUsersFolderTheNewSiteWritesIntoIsOpenedNotReplaced() throws {
        let folder = try TemporaryDirectory()
        let site = folder.file("site")
        _ = try publish(["index.html": "one"], to: site)
        try folder.write("site/explore/mine.txt", text: "mine")
        let kept = try publish(["index.html": "two", "explore/data.js": "data"], to: site)
        #expect(kept == ["explore/mine.txt"])
        #expect(try String(contentsOfFile: "\(site)/explore/mine.txt", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: "\(site)/explore/data.js", encoding: .utf8) == "data")
    }

    /// Sites published inside a site (a sweep's points) become part of it when it lists them, and go with it when
    /// the next site replaces it; a user's file beside them stays throughout.
    @Test func nestedSitesAreCarriedInAndReplacedWithTheSiteThatListsThem() throws {
        let folder = try TemporaryDirectory()
        let site = folder.file("site")
        _ = try publish(["index.html": "plain"], to: site)
        try folder.write("site/mine.txt", text: "mine")
        _ = try publish(["index.html": "point"], to: folder.file("site/p1"))
        let sweep = try SiteFolder(site, protected: [], replacingForeignFolder: false, holdsSites: true)
        let kept = try SitePublisher.publish(
            ["index.html": Array("sweep".utf8)], to: sweep, experiment: "test", nestedSites: ["p1"])
        #expect(kept == ["mine.txt"])
        #expect(try String(contentsOfFile: "\(site)/p1/index.html", encoding: .utf8) == "point")
        #expect(SiteFolder.writtenFiles(in: site) == ["index.html", "p1/"])
        let again = try publish(["index.html": "plain again"], to: site)
        #expect(again == ["mine.txt"])
        #expect(!FileManager.default.fileExists(atPath: "\(site)/p1"))
        #expect(try String(contentsOfFile: "\(site)/mine.txt", encoding: .utf8) == "mine")
    }
}
