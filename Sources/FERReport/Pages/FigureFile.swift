import FERStages

/// A drawn figure: its file content and the values its caption template reads.
package struct FigureFile: Sendable, Equatable {
    /// File content (PNG or SVG).
    package var bytes: [UInt8]
    /// Formatted values of what it shows (`count`, `seed`, ...), by name.
    package var texts: [String: String]
    /// Flags its caption chooses words by, by name.
    package var flags: [String: Bool]
    /// Its size in points (a PNG has `scale` pixels per point).
    package var width: Int, height: Int

    /// A figure file.
    package init(bytes: [UInt8], texts: [String: String], flags: [String: Bool], width: Int, height: Int) {
        self.bytes = bytes
        self.texts = texts
        self.flags = flags
        self.width = width
        self.height = height
    }

    /// The texts and flags as template values.
    package var captionValues: [String: Any] {
        var values: [String: Any] = texts
        for (name, flag) in flags { values[name] = flag }
        return values
    }
}

extension FigureFile: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(bytes)
        let texts = texts.sorted { $0.key < $1.key }, flags = flags.sorted { $0.key < $1.key }
        writer.write(texts.map(\.key))
        writer.write(texts.map(\.value))
        writer.write(flags.map(\.key))
        writer.write(flags.map { UInt8($0.value ? 1 : 0) })
        writer.write(width)
        writer.write(height)
    }

    package init(from reader: inout BinaryReader) throws {
        let bytes: [UInt8] = try reader.read()
        let textNames: [String] = try reader.read(), texts: [String] = try reader.read()
        let flagNames: [String] = try reader.read(), flags: [UInt8] = try reader.read()
        guard textNames.count == texts.count, flagNames.count == flags.count,
            Set(textNames).count == textNames.count, Set(flagNames).count == flagNames.count,
            flags.allSatisfy({ $0 <= 1 })
        else { throw CacheError.malformed }
        self.init(
            bytes: bytes, texts: Dictionary(uniqueKeysWithValues: zip(textNames, texts)),
            flags: Dictionary(uniqueKeysWithValues: zip(flagNames, flags.map { $0 == 1 })),
            width: try reader.read(), height: try reader.read())
    }
}
