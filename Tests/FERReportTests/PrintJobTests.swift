import FERTestSupport
import Foundation
import Testing

@testable import FERReport

/// The PDF engine started before its document exists: it prints what it is
/// later given, is stopped when it is not needed, and its failure is told in
/// its own words. A shell script stands in for WeasyPrint here, as these are
/// the job's mechanics; `WriteupTests` print with the real engine.
@Suite struct PrintJobTests {
    /// An engine that runs `body` as a shell script (its arguments: --quiet, - and -: the document on its standard
    /// input, the PDF on its standard output).
    private static func engine(_ body: String, in folder: TemporaryDirectory) throws -> PDFEngine {
        let script = try folder.write("engine.sh", text: "#!/bin/sh\n" + body)
        chmod(script, 0o755)
        return PDFEngine(path: script)
    }

    /// `engine` started. A script just written can be refused for a moment ("Text file busy") while a program
    /// another test starts at the same time still holds the writer's descriptor, before its own start closes it.
    private static func start(_ engine: PDFEngine) throws -> PrintJob {
        for _ in 0..<50 {
            do {
                return try engine.start()
            } catch let failure as PDFEngine.Failure where failure.message.hasSuffix(String(cString: strerror(ETXTBSY)))
            {
                usleep(20_000)
            }
        }
        return try engine.start()
    }

    @Test func aStartedEnginePrintsTheDocumentItIsGivenLater() throws {
        let folder = try TemporaryDirectory()
        let engine = try Self.engine("cat\n", in: folder)
        let job = try Self.start(engine)
        let html = String(repeating: "<p>a page</p>\n", count: 20_000)  // more than a pipe holds
        #expect(try job.print(html: html).pdf == Array(html.utf8))
        job.cancel()  // printed: nothing to stop
    }

    @Test func aJobThatIsNotNeededIsStoppedAndLeavesNothing() throws {
        let folder = try TemporaryDirectory()
        let started = folder.file("engine.pid")
        let engine = try Self.engine("echo $$ > '\(started)'\ncat\n", in: folder)
        let job = try Self.start(engine)
        let clock = ContinuousClock(), start = clock.now
        while !FileManager.default.fileExists(atPath: started) && clock.now - start < .seconds(10) { usleep(10_000) }
        let pid = try #require(
            Int32(String(contentsOfFile: started, encoding: .utf8).trimmingCharacters(in: .newlines)))
        job.cancel()
        // Waited for and reaped: the process is gone, not a zombie.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        #expect(throws: PDFEngine.Failure.self) { try job.print(html: "<p>late</p>") }
    }

    @Test func anEngineThatStopsWithoutReadingIsToldInItsOwnWords() throws {
        let folder = try TemporaryDirectory()
        let engine = try Self.engine("echo 'loading fonts' >&2\necho 'no fonts found' >&2\nexit 3\n", in: folder)
        let job = try Self.start(engine)
        // Larger than a pipe holds, so writing it meets the closed pipe (and FERLab must not die of SIGPIPE).
        let html = String(repeating: "<p>a page</p>\n", count: 20_000)
        let failure = #expect(throws: PDFEngine.Failure.self) { try job.print(html: html) }
        #expect(failure?.description == "writeup.pdf not made: \(engine.path) stopped with status 3: no fonts found")
    }
}
