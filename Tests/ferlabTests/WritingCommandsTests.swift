import FERTestSupport
import Foundation
import Testing

/// Every command that writes keeps what FERLab did not write: a user's files
/// in a site (whatever kind they are), other folders taken for sites or
/// caches, files at the paths `synth` and `predict` write, the sites
/// `compare` reads. Each case runs the built binary.
@Suite(.serialized) struct WritingCommandsTests {
    private static let canary = Data("the user's file\n".utf8)

    private func lstat(_ path: String) -> stat? {
        var info = stat()
        return Glibc.lstat(path, &info) == 0 ? info : nil
    }

    private func refused(_ outcome: CommandRunner.Outcome, saying text: String, _ comment: Comment) {
        #expect(outcome.status == 1, comment)
        #expect(
            outcome.errors.hasPrefix("ferlab: error: ") && outcome.errors.contains(text),
            "\(comment): \(outcome.errors)")
    }

    @Test func entriesOfEveryKindAUserKeepsInASiteSurviveRerunsAsTheyAre() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let site = workspace.site
        let script = try workspace.folder.write("site/tools/plot.sh", text: "#!/bin/sh\necho plot\n")
        #expect(chmod(script, 0o751) == 0)
        let secret = try workspace.folder.write("site/secret.txt", text: "mine alone\n")
        #expect(chmod(secret, 0o000) == 0)
        try workspace.folder.makeFolder("site/empty/inner")
        try FileManager.default.createSymbolicLink(atPath: "\(site)/notes.txt", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(
            atPath: "\(site)/data-link", withDestinationPath: workspace.folder.path)
        #expect(mkfifo("\(site)/pipe", 0o640) == 0)
        try workspace.folder.write("site/figures/mine.txt", bytes: Array(Self.canary))
        // A large file is moved, not read: the same inode after the rerun.
        let large = try workspace.folder.write("site/large.bin", bytes: [1])
        #expect(truncate(large, 3 << 30) == 0)
        let largeInode = try #require(lstat(large)).st_ino

        let rerun = try workspace.run(["--set", "models.clusters=3"])
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(rerun.errors.contains("kept"), "\(rerun.errors)")
        #expect(try #require(lstat(script)).st_mode & 0o7777 == 0o751)
        #expect(try #require(lstat(secret)).st_mode & 0o7777 == 0o000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(site)/empty") == ["inner"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(site)/notes.txt") == "/etc/passwd")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: "\(site)/data-link") == workspace.folder.path)
        #expect(try #require(lstat("\(site)/pipe")).st_mode & S_IFMT == S_IFIFO)
        #expect(FileManager.default.contents(atPath: "\(site)/figures/mine.txt") == Self.canary)
        let moved = try #require(lstat(large))
        #expect(moved.st_ino == largeInode && moved.st_size == 3 << 30)
        #expect(FileManager.default.fileExists(atPath: "\(site)/index.html"))
        #expect(chmod(secret, 0o600) == 0)
        // No staging folder is left beside the site.
        let beside = try FileManager.default.contentsOfDirectory(atPath: workspace.folder.path)
        #expect(!beside.contains { $0.contains(".staging-") || $0.contains(".old-") }, "\(beside)")
    }

    @Test func aUsersFileWhereTheNewSiteWritesStopsThePublishingAndKeepsTheSite() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish(out: workspace.site)
        // The site of a run without the explorer's folder: the user's file takes the folder's place.
        let marker = try String(contentsOfFile: "\(workspace.site)/.ferlab-site", encoding: .utf8)
        #expect(marker.contains("  explore.html\n"))
        let withoutExplorer =
            marker.split(separator: "\n").filter { !$0.hasPrefix("  explore.html") }
            .joined(separator: "\n") + "\n"
        try withoutExplorer.write(toFile: "\(workspace.site)/.ferlab-site", atomically: true, encoding: .utf8)
        // explore.html is now the user's file, and the rerun would write one.
        let outcome = try workspace.run()
        refused(outcome, saying: "explore.html, which is yours", "a clash")
        #expect(FileManager.default.fileExists(atPath: "\(workspace.site)/explore.html"))
        #expect(FileManager.default.fileExists(atPath: "\(workspace.site)/index.html"))
    }

    @Test func onlyAMarkerFERLabWroteMakesAFolderASite() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let runLog = try Data(contentsOf: URL(fileURLWithPath: "\(workspace.site)/run.json"))
        for (name, marker) in [("copied-run-log", nil), ("empty-marker", Data()), ("foreign-marker", Data("x\n".utf8))]
        {
            let folder = try workspace.folder.makeFolder(name)
            try workspace.folder.write("\(name)/thesis.tex", bytes: Array(Self.canary))
            try runLog.write(to: URL(fileURLWithPath: "\(folder)/run.json"))
            if let marker { try marker.write(to: URL(fileURLWithPath: "\(folder)/.ferlab-site")) }
            refused(try workspace.run(out: folder), saying: "is a folder FERLab did not make", "\(name)")
            #expect(FileManager.default.contents(atPath: "\(folder)/thesis.tex") == Self.canary, "\(name)")
        }
    }

    @Test func aCacheMustBeFERLabsBeforeAnythingIsWrittenOrPrunedThere() throws {
        let workspace = try TinyWorkspace()
        let foreign = try workspace.folder.makeFolder("backups")
        try workspace.folder.write("backups/backup.bin", bytes: Array(Self.canary))
        for arguments in [["cache", "prune", "--cache", foreign], ["cache", "--cache", foreign]] {
            refused(
                try CommandRunner.run(arguments, in: workspace.folder.path), saying: "is not a FERLab cache",
                "\(arguments)")
        }
        refused(try workspace.run(cache: foreign), saying: "backups: is not a FERLab cache", "run --cache")
        #expect(FileManager.default.contents(atPath: "\(foreign)/backup.bin") == Self.canary)
        #expect(!FileManager.default.fileExists(atPath: "\(workspace.site)/index.html"))

        // A new cache is tagged; a prune there removes entries, never a file the user put in.
        try workspace.publish()
        #expect(
            try String(contentsOfFile: "\(workspace.cache)/CACHEDIR.TAG", encoding: .utf8)
                .hasPrefix(
                    "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by FERLab."
                ))
        try workspace.folder.write("cache/notes.bin", bytes: Array(Self.canary))
        let prune = try CommandRunner.run(["cache", "prune", "--cache", workspace.cache, "--keep", "1"])
        #expect(prune.status == 0, "\(prune.errors)")
        #expect(FileManager.default.contents(atPath: "\(workspace.cache)/notes.bin") == Self.canary)
    }

    @Test func aHistoryThatIsAFIFONeitherBlocksARunNorTheCacheCommand() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let history = "\(workspace.cache)/history.jsonl"
        try FileManager.default.removeItem(atPath: history)
        #expect(mkfifo(history, 0o644) == 0)
        for arguments in [
            [
                "run", "tiny.yaml", "--out", workspace.site, "--cache", workspace.cache, "--templates",
                ProjectFiles.path("Templates"), "--set", "models.clusters=3",
            ], ["cache", "--cache", workspace.cache],
        ] {
            let process = try CommandRunner.launch(arguments, in: workspace.folder.path)
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
            #expect(!process.isRunning && process.terminationReason == .exit, "\(arguments[0]) blocked on the FIFO")
            #expect(process.terminationStatus == 0, "\(arguments[0])")
        }
    }

    @Test func compareNeverWritesOverOrInsideASiteItCompares() throws {
        let workspace = try TinyWorkspace()
        let first = workspace.folder.file("first"), second = workspace.folder.file("second")
        try workspace.publish(out: first)
        let other = try workspace.run(["--set", "models.clusters=3"], out: second)
        try #require(other.status == 0, "\(other.errors)")
        let before = try FolderSnapshot.files(in: first)
        for out in [first, "\(first)/comparison", workspace.folder.path] {
            let outcome = try CommandRunner.run(
                ["compare", first, second, "--out", out, "--templates", ProjectFiles.path("Templates")],
                in: workspace.folder.path)
            #expect(outcome.status == 1, "--out \(out)")
            #expect(try FolderSnapshot.files(in: first) == before, "--out \(out)")
        }
    }

    @Test func synthReplacesOnlyWhatItMayAndNeverAnythingButARegularFile() throws {
        let folder = try TemporaryDirectory()
        let thesis = try folder.write("thesis.csv", bytes: Array(Self.canary))
        let photo = try folder.write("photo.png", bytes: Array(Self.canary))
        for arguments in [["-o", thesis], ["--preview", photo]] {
            refused(
                try CommandRunner.run(["synth", "-c", "70"] + arguments, in: folder.path),
                saying: "exists and FERLab did not write it; choose another path, or pass --force", "\(arguments)")
        }
        #expect(FileManager.default.contents(atPath: thesis) == Self.canary)
        #expect(FileManager.default.contents(atPath: photo) == Self.canary)
        let forced = try CommandRunner.run(["synth", "-c", "70", "-o", thesis, "--force"], in: folder.path)
        #expect(forced.status == 0 && FileManager.default.contents(atPath: thesis) != Self.canary)

        // Never a FIFO, a link or a folder, even with --force.
        let pipe = folder.file("pipe.csv")
        #expect(mkfifo(pipe, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.csv"), withDestinationPath: thesis)
        try folder.makeFolder("folder.csv")
        for (name, problem) in [
            ("pipe.csv", "is not a regular file"), ("link.csv", "is a symbolic link"), ("folder.csv", "is a folder"),
        ] {
            refused(
                try CommandRunner.run(["synth", "-c", "70", "-o", name, "--force"], in: folder.path), saying: problem,
                "\(name)")
        }
        #expect(try #require(lstat(pipe)).st_mode & S_IFMT == S_IFIFO)
        #expect(try #require(lstat(folder.file("link.csv"))).st_mode & S_IFMT == S_IFLNK)
    }

    @Test func templatesExportSaysWhatIsWrongInWordsAndWritesAllOrNothing() throws {
        let folder = try TemporaryDirectory()
        try folder.write("notes.txt", bytes: Array(Self.canary))
        let onFile = try CommandRunner.run(["templates", "export", "notes.txt"], in: folder.path)
        refused(onFile, saying: "notes.txt: cannot write: is not a folder", "a file")
        #expect(!onFile.errors.contains("NSCocoaErrorDomain"))
        // A FIFO where a template goes stops the export before it writes anything.
        try folder.makeFolder("mine")
        #expect(mkfifo(folder.file("mine/style.css"), 0o644) == 0)
        refused(
            try CommandRunner.run(["templates", "export", "mine"], in: folder.path), saying: "not regular files",
            "a FIFO")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("mine")) == ["style.css"])
        let fresh = try CommandRunner.run(["templates", "export", "fresh"], in: folder.path)
        #expect(fresh.status == 0 && FileManager.default.fileExists(atPath: folder.file("fresh/style.css")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasPrefix(".") })
    }
}
