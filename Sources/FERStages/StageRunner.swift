import FERCore
import Foundation
import Synchronization

/// Runs stages, each at most once, reusing results cached on disk when
/// nothing they read has changed. It knows nothing of what the stages
/// compute: the experiment and the report declare theirs on it.
///
/// A stage's key is the hash of its name, its code version, its parameters
/// and its inputs' keys (the data file's content hash at the root), so keys
/// are known before anything is computed. A stage's value is produced only
/// when a dependent needs it: loaded from the cache if an entry for its key
/// is there and intact, else computed (which may pull its inputs) and stored.
package final class StageRunner: @unchecked Sendable {
    /// How a stage's result was obtained.
    package enum Status: String, Sendable, Codable {
        /// Computed in this run.
        case computed
        /// Read from the cache, or not needed because everything after it was cached.
        case cached
    }

    /// One line of the run's stage table.
    package struct Record: Sendable, Codable, Equatable {
        /// Stage name.
        package var name: String
        /// How the result was obtained.
        package var status: Status
        /// Seconds spent in this stage itself (inputs excluded).
        package var seconds: Double
    }

    /// The cache.
    package let cache: CacheStore
    /// Ignore cached results (they are still replaced by fresh ones).
    package let force: Bool
    /// Turns what a stage threw into the error the run reports (naming the stage, say); by default, as thrown.
    package var explainFailure: @Sendable (_ stage: String, _ error: any Error) -> any Error = { _, error in error }
    /// Told when a stage starts computing, for progress display.
    package var onCompute: (@Sendable (String) -> Void)?
    /// Told when a cache entry was found damaged and is recomputed.
    package var onDamagedEntry: (@Sendable (String) -> Void)?
    /// Told how far long stages are (stage, steps done, steps in all); set before declaring stages.
    package var onProgress: (@Sendable (String, Int, Int) -> Void)?

    private let lock = NSLock()
    private var order: [String] = []
    private var records: [String: Record] = [:]
    private var declarations: [String: Declaration] = [:]

    /// A runner over `cache`.
    package init(cache: CacheStore, force: Bool = false) {
        self.cache = cache
        self.force = force
    }

    /// The entries this runner's stages stored, written on the cache's own thread (see `finishWrites`).
    private let writes = DispatchGroup()
    /// What the first of those writes that failed threw.
    private let writeFailure = Mutex<(any Error)?>(nil)

    /// Waits until every entry this runner's stages stored is on disk.
    /// - Throws: what the first write that failed threw.
    package func finishWrites() throws {
        writes.wait()
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
    }

    /// Declares a stage: `compute` makes its value from `parameters` (one typed
    /// value holding every setting it reads) and its inputs' values, and from
    /// nothing else. Pass a static function, never a closure over other state:
    /// the key is the hash of `name`, `version` (changed whenever the code
    /// changes what it produces), the canonical JSON of `parameters` and the
    /// inputs' keys, so anything `compute` read from elsewhere could go stale.
    package func stage<Parameters: StageParameters, each Input: CacheCodable, Value: CacheCodable>(
        _ name: String, version: Int, parameters: Parameters, inputs: repeat StageOutput<each Input>,
        compute: @escaping @Sendable (Parameters, repeat each Input) throws -> Value
    ) -> StageOutput<Value> {
        stage(
            name, version: version, parameters: parameters, inputs: repeat each inputs,
            reporting: { (parameters: Parameters, _: StageProgress, input: repeat each Input) in
                try compute(parameters, repeat each input)
            })
    }

    /// Declares a long stage, whose `compute` also receives a way to report its progress.
    package func stage<Parameters: StageParameters, each Input: CacheCodable, Value: CacheCodable>(
        _ name: String, version: Int, parameters: Parameters, inputs: repeat StageOutput<each Input>,
        reporting compute: @escaping @Sendable (Parameters, StageProgress, repeat each Input) throws -> Value
    ) -> StageOutput<Value> {
        var inputList: [any StageKeyed] = []
        for input in repeat each inputs { inputList.append(input) }
        let progress = StageProgress(stage: name, report: onProgress)
        return declare(name, version: version, parameters: parameters, inputs: inputList) { started in
            let values = (repeat try (each inputs).get())
            started()
            return try compute(parameters, progress, repeat each values)
        }
    }

    /// Keys and records a stage; `produce` makes its value from the captured parameters and inputs.
    private func declare<Parameters: StageParameters, Value: CacheCodable>(
        _ name: String, version: Int, parameters: Parameters, inputs: [any StageKeyed],
        produce: @escaping @Sendable (_ started: () -> Void) throws -> Value
    ) -> StageOutput<Value> {
        let encoded = Self.canonical(parameters)
        var description = "\(name)|v\(version)|\(encoded)"
        for input in inputs { description += "|<\(input.name):\(input.key)" }
        let key = ContentHash.hex(ContentHash.hash(description))
        lock.withLock {
            if records[name] == nil { order.append(name) }
            records[name] = Record(name: name, status: .cached, seconds: 0)
            declarations[name] = Declaration(parameters: encoded, inputs: inputs.map(\.name), key: key)
        }
        return StageOutput(name: name, key: key, runner: self, compute: produce)
    }

    /// Declares a stage over lists of inputs of one type each (every compared
    /// setting's metrics, say); `compute` receives each list's values in order.
    package func stage<
        Parameters: StageParameters, First: CacheCodable, each Input: CacheCodable, Value: CacheCodable
    >(
        _ name: String, version: Int, parameters: Parameters, lists first: [StageOutput<First>],
        _ more: repeat [StageOutput<each Input>],
        compute: @escaping @Sendable (Parameters, [First], repeat [each Input]) throws -> Value
    ) -> StageOutput<Value> {
        var inputs: [any StageKeyed] = first
        for list in repeat each more { inputs += list as [any StageKeyed] }
        return declare(name, version: version, parameters: parameters, inputs: inputs) { started in
            let firstValues = try first.map { try $0.get() }
            let moreValues = (repeat try (each more).map { try $0.get() })
            started()
            return try compute(parameters, firstValues, repeat each moreValues)
        }
    }

    /// `parameters` as JSON with sorted keys: the same value always gives the same text.
    static func canonical<Parameters: Encodable>(_ parameters: Parameters) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Plain values (numbers, strings, enums, arrays and structs of them) always encode.
        return (try? encoder.encode(parameters)).map { String(decoding: $0, as: UTF8.self) } ?? "\(parameters)"
    }

    /// What declared a stage: its parameters' canonical JSON, its inputs' names and its key.
    package struct Declaration: Equatable {
        package let parameters: String
        package let inputs: [String]
        package let key: String
    }

    /// Every declared stage, by name.
    package var declared: [String: Declaration] {
        lock.withLock { declarations }
    }

    /// The cache entry files (names in the cache folder) of every declared stage: what this run reads or writes.
    package var entryFiles: [String] {
        lock.withLock {
            order.compactMap { name in declarations[name].map { cache.fileName(stage: name, key: $0.key) } }
        }
    }

    /// The stage table, in declaration order.
    package var table: [Record] {
        lock.withLock { order.compactMap { records[$0] } }
    }

    // MARK: Used by StageOutput

    /// Loads or computes one stage's value. Stages may run on several threads
    /// at once; each thread keeps its own stack of running stages, so a stage's
    /// time excludes the inputs it pulled.
    func produce<Value: CacheCodable>(
        _ name: String, key: String, compute: (_ started: () -> Void) throws -> Value
    ) throws -> Value {
        let clock = StageClock.current
        clock.begin()
        defer {
            let seconds = clock.end()
            lock.withLock { records[name]?.seconds += seconds }
        }
        if !force {
            switch cache.lookup(stage: name, key: key) {
            case .hit(var reader):
                if let value = try? Value(from: &reader), reader.isAtEnd {
                    return value
                }
                onDamagedEntry?(name)
            case .damaged:
                onDamagedEntry?(name)
            case .miss:
                break
            }
        }
        // A cache that failed a write (a full disk, say) fails the run now, not after the rest is computed.
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
        lock.withLock { records[name]?.status = .computed }
        let value: Value
        do {
            // Told once the inputs are in, so stages are announced in the order their own work starts.
            value = try compute { onCompute?(name) }
        } catch {
            throw explainFailure(name, error)
        }
        var writer = BinaryWriter()
        value.encode(to: &writer)
        cache.storeInBackground(stage: name, key: key, payload: writer, group: writes) { [self] error in
            writeFailure.withLock { first in first = first ?? error }
        }
        return value
    }
}

/// The running stages of one thread, for exclusive stage times.
private final class StageClock {
    private var frames: [(start: UInt64, nested: UInt64)] = []

    /// This thread's clock.
    static var current: StageClock {
        let key = "FERLab.StageClock"
        if let clock = Thread.current.threadDictionary[key] as? StageClock { return clock }
        let clock = StageClock()
        Thread.current.threadDictionary[key] = clock
        return clock
    }

    func begin() {
        frames.append((DispatchTime.now().uptimeNanoseconds, 0))
    }

    /// Seconds since the matching `begin`, minus the nested stages' time.
    func end() -> Double {
        guard let frame = frames.popLast() else { return 0 }
        let elapsed = DispatchTime.now().uptimeNanoseconds - frame.start
        if !frames.isEmpty { frames[frames.count - 1].nested += elapsed }
        return Double(elapsed - min(elapsed, frame.nested)) / 1e9
    }
}

/// The settings a stage reads: one plain value, compared and hashed whole.
package typealias StageParameters = Hashable & Codable & Sendable

/// A stage without settings of its own (it reads only its inputs).
package struct NoParameters: StageParameters {
    /// No settings.
    package init() {}
}

/// How a long stage reports its progress.
package struct StageProgress: Sendable {
    let stage: String
    let report: (@Sendable (String, Int, Int) -> Void)?

    /// Progress of `stage`, told to `report` (stage, steps done, steps in all); none is told without it.
    package init(stage: String, report: (@Sendable (String, Int, Int) -> Void)?) {
        self.stage = stage
        self.report = report
    }

    /// Reports `done` of `total` steps.
    package func callAsFunction(_ done: Int, _ total: Int) {
        report?(stage, done, total)
    }
}

/// Anything with a stage key, so stages can list their inputs.
package protocol StageKeyed {
    /// The stage name.
    var name: String { get }
    /// The stage key.
    var key: String { get }
}

/// The result of one stage, produced on first use and kept.
package final class StageOutput<Value: CacheCodable>: StageKeyed, @unchecked Sendable {
    /// The model's name (its reducer).
    package let name: String
    /// The stage key.
    package let key: String
    private unowned let runner: StageRunner
    private let compute: @Sendable (_ started: () -> Void) throws -> Value
    private var value: Value?
    private let lock = NSLock()

    init(
        name: String, key: String, runner: StageRunner,
        compute: @escaping @Sendable (_ started: () -> Void) throws -> Value
    ) {
        self.name = name
        self.key = key
        self.runner = runner
        self.compute = compute
    }

    /// The value: from memory, else the cache, else computed (once, even
    /// when several threads ask at the same time).
    package func get() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let produced = try runner.produce(name, key: key, compute: compute)
        value = produced
        return produced
    }
}

/// A stage that could not produce its result, named so the user knows where.
package struct StageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The stage.
    package let stage: String
    /// What went wrong.
    package let message: String

    /// `stage` could not produce its result, for `message`.
    package init(stage: String, message: String) {
        self.stage = stage
        self.message = message
    }

    package var description: String { "stage \(stage): \(message)" }
}
