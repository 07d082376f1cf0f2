import FERTestSupport
import Foundation
import Testing

/// `--out` never replaces a folder FERLab did not make: every case runs the
/// built binary with a canary file that must survive.
@Suite struct OutputFolderTests {
    /// A project-like folder (a Git work tree holding a canary) with the tiny experiment's config.
    private struct Project {
        let folder: TemporaryDirectory
        var path: String { folder.path }
        var canary: String { folder.file("canary.txt") }

        init() throws {
            folder = try TemporaryDirectory()
            try folder.makeFolder(".git")
            try folder.write("canary.txt", text: "the user's file\n")
            try folder.write("tiny.yaml", text: TinyExperiment.config)
        }

        func run(
            out: String, _ extra: [String] = [], in directory: String? = nil,
            environment: [String: String] = [:]
        ) throws -> CommandRunner.Outcome {
            try CommandRunner.run(
                [
                    "run", folder.file("tiny.yaml"), "--out", out, "--cache", folder.file("cache"),
                    "--templates", ProjectFiles.path("Templates"),
                ] + extra,
                in: directory ?? path, environment: environment)
        }
    }

    /// A refusal: status 1, before any stage ran, naming `what`, with every canary intact.
    private func expectRefused(
        _ outcome: CommandRunner.Outcome, saying what: String, canaries: [String],
        _ comment: Comment
    ) {
        #expect(outcome.status == 1, comment)
        #expect(outcome.errors.hasPrefix("ferlab: error: "), comment)
        #expect(outcome.errors.contains(what), "\(comment): \(outcome.errors)")
        #expect(!outcome.errors.contains("computing"), "\(comment): work started before the refusal")
        for canary in canaries {
            #expect(
                FileManager.default.contents(atPath: canary) == Data("the user's file\n".utf8),
                "\(comment): \(canary) did not survive")
        }
    }

    @Test func anEmptyOutIsAnError() throws {
        let project = try Project()
        expectRefused(
            try project.run(out: ""), saying: "the site folder is empty", canaries: [project.canary], "--out \"\"")
        #expect(FileManager.default.fileExists(atPath: project.folder.file(".git")))
    }

    @Test func theCurrentFolderAndItsParentsAreNeverReplaced() throws {
        let project = try Project()
        let inner = try project.folder.makeFolder("deep/inner")
        for (out, what) in [
            (".", "is the current folder"), ("..", "holds the current folder"),
            (project.path, "holds the current folder"),
        ] {
            let flagged = try project.run(out: out, ["--replace-folder-not-made-by-ferlab"], in: inner)
            expectRefused(flagged, saying: what, canaries: [project.canary], "\(out)")
        }
    }

    @Test func theRootAndTheHomeFolderAreNeverReplaced() throws {
        let project = try Project()
        let home = try TemporaryDirectory()
        let homeCanary = try home.write("canary.txt", text: "the user's file\n")
        let flag = ["--replace-folder-not-made-by-ferlab"]
        expectRefused(
            try project.run(out: "/", flag, environment: ["HOME": home.path]),
            saying: "is the root of the file system", canaries: [homeCanary], "/")
        expectRefused(
            try project.run(out: home.path, flag, environment: ["HOME": home.path]),
            saying: "is your home folder", canaries: [homeCanary], "home")
    }

    @Test func aForeignFolderIsRefusedUnlessTheFlagIsGiven() throws {
        let project = try Project()
        let target = try project.folder.makeFolder("D")
        let canary = try project.folder.write("D/canary.txt", text: "the user's file\n")
        expectRefused(
            try project.run(out: target), saying: "--replace-folder-not-made-by-ferlab",
            canaries: [canary], "a folder with a file")
        // With the flag the user asked for it: the folder becomes a site, with its marker.
        let replaced = try project.run(out: target, ["--replace-folder-not-made-by-ferlab"])
        #expect(replaced.status == 0, "\(replaced.errors)")
        #expect(!FileManager.default.fileExists(atPath: canary))
        #expect(FileManager.default.fileExists(atPath: project.folder.file("D/.ferlab-site")))
        // A site FERLab made is replaced on the next run without the flag.
        #expect(try project.run(out: target).status == 0)
    }

    @Test func aFolderWithAPipeForARunLogIsRefusedWithoutWaiting() throws {
        let project = try Project()
        let target = try project.folder.makeFolder("P")
        #expect(mkfifo(project.folder.file("P/run.json"), 0o644) == 0)
        expectRefused(
            try project.run(out: target), saying: "is a folder FERLab did not make", canaries: [project.canary],
            "a pipe named run.json")
    }

    @Test func anEmptyFolderBecomesASite() throws {
        let project = try Project()
        let target = try project.folder.makeFolder("empty")
        let outcome = try project.run(out: target)
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(FileManager.default.fileExists(atPath: project.folder.file("empty/index.html")))
    }

    @Test func theRunsOwnInputsAreNeverReplacedEvenWithTheFlag() throws {
        let project = try Project()
        let templates = project.folder.file("templates")
        try FileManager.default.copyItem(atPath: ProjectFiles.path("Templates"), toPath: templates)
        let templateCanary = try project.folder.write("templates/canary.txt", text: "the user's file\n")
        let cacheCanary = try project.folder.write("cache/canary.txt", text: "the user's file\n")
        let repository = try project.folder.makeFolder("repository/.git")
        let repositoryCanary = try project.folder.write("repository/canary.txt", text: "the user's file\n")
        let flag = ["--replace-folder-not-made-by-ferlab", "--templates", templates]
        let cases: [(out: String, what: String)] = [
            (templates, "is the templates folder"), (templates + "/site", "is inside the templates folder"),
            (project.folder.file("cache"), "is the stage cache"),
            ((repository as NSString).deletingLastPathComponent, "holds a Git repository"),
            (project.folder.file("tiny.yaml"), "is the config file"),
        ]
        for (out, what) in cases {
            expectRefused(
                try project.run(out: out, flag), saying: what,
                canaries: [templateCanary, cacheCanary, repositoryCanary, project.canary], "\(out)")
        }
    }

    @Test func anUnwritablePlaceIsRefusedBeforeTheWork() throws {
        let project = try Project()
        let blocker = try project.folder.write("blocker", text: "a file\n")
        expectRefused(
            try project.run(out: blocker), saying: "is a file, not a folder", canaries: [project.canary], "file")
        expectRefused(
            try project.run(out: blocker + "/site"), saying: "is not a folder", canaries: [project.canary],
            "through a file")
        // Nobody, root included, may create entries in a process's /proc folder.
        expectRefused(
            try project.run(out: "/proc/self/site"), saying: "cannot be written", canaries: [project.canary],
            "/proc/self")
    }
}
