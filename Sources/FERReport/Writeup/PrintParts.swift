import FERStages

/// What printing the write-up made that the next print can reuse: the
/// encoded images and font subsets of `PrintDriver`, each under the hash of
/// everything that decides it (its content, the options, the versions of
/// WeasyPrint and its libraries), so a part is reused only where the engine
/// would make the same bytes again. They are remembered per experiment in
/// the stage cache, replaced by those of each print.
struct PrintParts: Sendable, Equatable {
    /// The parts, by key.
    var entries: [String: [UInt8]] = [:]

    /// The cache's name for remembered parts.
    static let stage = "writeup pdf parts"

    /// The cache key of the parts remembered for experiment `name` printed by the engine at `engine`.
    static func key(experiment name: String, engine: String) -> String {
        ContentHash.hex(ContentHash.hash("\(engine)\n\(name)"))
    }

    /// The parts remembered under `key`; none when there are none or the entry is damaged.
    static func remembered(in cache: CacheStore, key: String) -> PrintParts {
        guard case .hit(var reader) = cache.lookup(stage: stage, key: key),
            let keys = try? reader.read([String].self)
        else { return PrintParts() }
        var parts = PrintParts()
        for name in keys {
            guard let data = try? reader.read([UInt8].self) else { return PrintParts() }
            parts.entries[name] = data
        }
        return reader.isAtEnd ? parts : PrintParts()
    }

    /// Remembers these parts under `key`, replacing what was there.
    func remember(in cache: CacheStore, key: String) throws {
        let names = entries.keys.sorted()
        var writer = BinaryWriter()
        writer.write(names)
        for name in names { writer.write(entries[name] ?? []) }
        try cache.store(stage: Self.stage, key: key, payload: writer)
    }
}
