import FERCore
import FERMath
import Foundation

/// Runs the stages of an experiment, each at most once, reusing results
/// cached on disk when nothing they read has changed.
///
/// A stage's key is the hash of its name, its code version, its parameters
/// and its inputs' keys (the data file's content hash at the root), so keys
/// are known before anything is computed. A stage's value is produced only
/// when a dependent needs it: loaded from the cache if an entry for its key
/// is there and intact, else computed (which may pull its inputs) and stored.
public final class StageRunner: @unchecked Sendable {
    /// How a stage's result was obtained.
    public enum Status: String, Sendable, Codable {
        /// Computed in this run.
        case computed
        /// Read from the cache, or not needed because everything after it was cached.
        case cached
    }

    /// One line of the run's stage table.
    public struct Record: Sendable, Codable, Equatable {
        /// Stage name.
        public var name: String
        /// How the result was obtained.
        public var status: Status
        /// Seconds spent in this stage itself (inputs excluded).
        public var seconds: Double
    }

    /// The cache.
    public let cache: CacheStore
    /// Ignore cached results (they are still replaced by fresh ones).
    public let force: Bool
    /// Told when a stage starts computing, for progress display.
    public var onCompute: (@Sendable (String) -> Void)?
    /// Told when a cache entry was found damaged and is recomputed.
    public var onDamagedEntry: (@Sendable (String) -> Void)?

    private let lock = NSLock()
    private var order: [String] = []
    private var records: [String: Record] = [:]

    /// A runner over `cache`.
    public init(cache: CacheStore, force: Bool = false) {
        self.cache = cache
        self.force = force
    }

    /// Declares a stage. `parameters` are everything it reads besides its
    /// inputs; `version` changes whenever its code changes what it produces.
    public func stage<Value: CacheCodable>(
        _ name: String, version: Int, parameters: [(String, String)],
        inputs: [any StageKeyed],
        compute: @escaping () throws -> Value
    ) -> StageOutput<Value> {
        var description = "\(name)|v\(version)"
        for (key, value) in parameters.sorted(by: { $0.0 < $1.0 }) { description += "|\(key)=\(value)" }
        for input in inputs { description += "|<\(input.name):\(input.key)" }
        let key = ContentHash.hex(ContentHash.hash(description))
        lock.withLock {
            if records[name] == nil { order.append(name) }
            records[name] = Record(name: name, status: .cached, seconds: 0)
        }
        return StageOutput(name: name, key: key, runner: self, compute: compute)
    }

    /// The stage table, in declaration order.
    public var table: [Record] {
        lock.withLock { order.compactMap { records[$0] } }
    }

    // MARK: Used by StageOutput

    /// Loads or computes one stage's value. Stages may run on several threads
    /// at once; each thread keeps its own stack of running stages, so a stage's
    /// time excludes the inputs it pulled.
    func produce<Value: CacheCodable>(_ name: String, key: String, compute: () throws -> Value) throws -> Value {
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
        onCompute?(name)
        lock.withLock { records[name]?.status = .computed }
        let value: Value
        do {
            value = try compute()
        } catch let error as MathError {
            throw StageError(stage: name, message: "\(error)")
        }
        var writer = BinaryWriter()
        value.encode(to: &writer)
        try cache.store(stage: name, key: key, payload: writer.bytes)
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

/// Anything with a stage key, so stages can list their inputs.
public protocol StageKeyed {
    /// The stage name.
    var name: String { get }
    /// The stage key.
    var key: String { get }
}

/// The result of one stage, produced on first use and kept.
public final class StageOutput<Value: CacheCodable>: StageKeyed, @unchecked Sendable {
    /// The model's name (its reducer).
    public let name: String
    /// The stage key.
    public let key: String
    private unowned let runner: StageRunner
    private let compute: () throws -> Value
    private var value: Value?
    private let lock = NSLock()

    init(name: String, key: String, runner: StageRunner, compute: @escaping () throws -> Value) {
        self.name = name
        self.key = key
        self.runner = runner
        self.compute = compute
    }

    /// The value: from memory, else the cache, else computed (once, even
    /// when several threads ask at the same time).
    public func get() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let produced = try runner.produce(name, key: key, compute: compute)
        value = produced
        return produced
    }
}

/// A stage that could not produce its result, named so the user knows where.
public struct StageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The stage.
    public let stage: String
    /// What went wrong.
    public let message: String

    public var description: String { "stage \(stage): \(message)" }
}
