import FERCore
import FERData
import FERFeatures
import FERStages
import Foundation
import Synchronization

/// What the command stage reads: the program and its arguments, the content
/// of every file the arguments name, and how long it may run. Its key also
/// holds the dataset's, so a rerun on the same images with the same program
/// reads the cache, and an edit of the program's script runs it again.
struct CommandSettings: StageParameters {
    /// The program and its arguments (the images' and the output's paths are appended).
    var argv: [String]
    /// The content hash of each argument that names an existing regular file.
    var files: [String: String]
    /// Seconds the program may run.
    var timeout: Int

    /// The command `features.command` names, when a setting reads it.
    /// - Throws: `ConfigProblem` naming `features.command` when none is named.
    static func of(_ config: ExperimentConfig) throws -> CommandSettings? {
        let kinds = [config.models.features] + config.features.compare.map(\.features)
        guard kinds.contains(where: { $0.method == ProgramEmbeddings.self }) else { return nil }
        guard let argv = config.features.command, !argv.isEmpty else {
            throw ConfigProblem(
                path: "features.command",
                "names no program, but the models read a program's embeddings (models.features or features.compare is command)"
            )
        }
        var files: [String: String] = [:]
        for argument in argv where RegularFile.kind(at: argument) == .file {
            files[argument] = try? DataFingerprint.of(path: argument)
        }
        return CommandSettings(argv: argv, files: files, timeout: config.features.timeout)
    }

    /// The program's embeddings of every image of `dataset`, one row per image in order (none without settings).
    /// - Throws: `ConfigProblem` naming `features.command` when the program cannot start, fails, runs past its
    ///   time, or writes no table of one row per image.
    static func run(_ settings: CommandSettings?, progress: StageProgress, dataset: Dataset) throws -> Embeddings {
        guard let settings else { return Embeddings(columns: 0, values: []) }
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("ferlab-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let images = (folder as NSString).appendingPathComponent("images.npy")
        let output = (folder as NSString).appendingPathComponent("embeddings.npy")
        try AtomicFile.write(
            NumPyFile.images(dataset.pixels[...], count: dataset.count, width: dataset.width, height: dataset.height),
            to: images)
        progress(0, 1)
        try ProgramRun(argv: settings.argv + [images, output], timeout: settings.timeout).run()
        let shown = "the output of \(settings.argv.joined(separator: " "))"
        let table: NumPyFile.Table
        do {
            table = try NumPyFile.readTable(path: output, displayPath: shown)
        } catch let error as DataError {
            throw ConfigProblem(path: "features.command", error.description)
        }
        guard table.rows == dataset.count else {
            throw ConfigProblem(
                path: "features.command",
                "\(shown) has \(table.rows) rows, but there are \(dataset.count) images: one row per image, in order")
        }
        if let bad = table.values.firstIndex(where: { !$0.isFinite }) {
            throw ConfigProblem(
                path: "features.command",
                "\(shown): row \(bad / table.columns) holds \(table.values[bad]), not a finite number")
        }
        progress(1, 1)
        return Embeddings(columns: table.columns, values: table.values)
    }
}

/// One run of a user's program: no shell, its standard error passed on as it
/// comes, stopped with everything it started when it runs past its time.
struct ProgramRun {
    let argv: [String]
    /// Seconds it may run.
    let timeout: Int

    /// Runs it to its end.
    /// - Throws: `ConfigProblem` naming `features.command` with its last line of standard error when it cannot
    ///   start, stops with another status than 0, or runs past `timeout`.
    func run() throws {
        guard let executable = Self.resolve(argv[0]) else {
            throw ConfigProblem(path: "features.command", "\(argv[0]) is not a program found here (nor on PATH)")
        }
        let errors = Pipe()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: executable, arguments: Array(argv.dropFirst()),
                output: FileHandle.standardError.fileDescriptor, error: errors.fileHandleForWriting.fileDescriptor)
        } catch {
            throw ConfigProblem(path: "features.command", "\(argv[0]) could not be started: \(error)")
        }
        try? errors.fileHandleForWriting.close()
        let timedOut = Atomic<Bool>(false)
        let timer = DispatchWorkItem {
            guard !process.hasEnded else { return }
            timedOut.store(true, ordering: .relaxed)
            // The program and everything it started (a shell's children, say), found before any of them stops.
            let family = Self.descendants(of: process.identifier)
            process.send(SIGTERM)
            for member in family { kill(member, SIGTERM) }
            // Whatever does not stop when asked is killed.
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(2)) {
                process.send(SIGKILL)
                for member in family where Self.isRunning(member) { kill(member, SIGKILL) }
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout), execute: timer)
        // Its standard error, passed on as it comes, on a thread of its own; the last line is kept for the error.
        let lastLine = Mutex("")
        let reader = errors.fileHandleForReading
        let reading = OwnThread {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                FileHandle.standardError.write(chunk)
                let lines = String(decoding: chunk, as: UTF8.self).split(separator: "\n").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                if let line = lines.last { lastLine.withLock { $0 = line } }
            }
        }
        let ending = process.wait()
        timer.cancel()
        // A program that ended has closed its standard error unless something it started holds it: wait for the
        // last words, but not past the time left.
        _ = reading.wait(until: timedOut.load(ordering: .relaxed) ? .now() : .now() + .seconds(timeout))
        let last = lastLine.withLock { $0 }
        if timedOut.load(ordering: .relaxed) {
            throw ConfigProblem(
                path: "features.command",
                "\(argv[0]) ran longer than \(timeout) s (features.timeout) and was stopped")
        }
        guard ending != .exited(0) else { return }
        throw ConfigProblem(path: "features.command", "\(argv[0]) \(ending)" + (last.isEmpty ? "" : ": \(last)"))
    }

    /// The processes descended from `pid`, children first, from `/proc` (none where there is no `/proc`).
    static func descendants(of pid: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let process = Int32(entry), let parent = parentOf(process) else { continue }
            children[parent, default: []].append(process)
        }
        var found: [Int32] = [], queue = children[pid] ?? []
        while let next = queue.first {
            queue.removeFirst()
            found.append(next)
            queue += children[next] ?? []
        }
        return found
    }

    /// The parent of `pid`: the fourth field of `/proc/PID/stat`, after the name in parentheses.
    private static func parentOf(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// Whether `pid` is a process that has not ended (a zombie has ended).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// The program `name` names: a path when it holds a `/`, else the first executable of that name on `PATH`.
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { ($0 as NSString).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
