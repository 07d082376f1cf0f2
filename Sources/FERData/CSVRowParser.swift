import CPixelText

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the data rows of a FER-layout CSV. One value is shared by all
/// workers; each parses a contiguous range of rows into its own slice of the
/// output buffers and stops at its first problem.
struct CSVRowParser: @unchecked Sendable {
    /// What one worker produced besides the rows it wrote.
    struct ChunkResult {
        /// The first problem in the chunk's rows, if any.
        var failure: DataError?
        /// The chunk's usage names, indexed by the codes it wrote.
        var usageNames: [String] = []
        /// Rows of the chunk whose usage field was empty.
        var missingUsage = 0
    }

    private let base: UnsafePointer<UInt8>
    private let total: Int
    private let header: CSVHeader
    private let pixelsPerImage: Int
    private let labelCount: Int
    /// Said after the valid codes when a code is out of range.
    private let labelHint: String
    private let file: String

    init(
        bytes: UnsafeRawBufferPointer, header: CSVHeader, pixelsPerImage: Int, labelCount: Int, labelHint: String = "",
        file: String
    ) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        total = bytes.count
        self.header = header
        self.pixelsPerImage = pixelsPerImage
        self.labelCount = labelCount
        self.labelHint = labelHint
        self.file = file
    }

    /// The most distinct values a Usage column may hold (FER2013's has three: Training, PublicTest, PrivateTest).
    static let mostUsageValues = 1_000
    /// What a row that brings one too many says.
    static let tooManyUsageValues =
        "the Usage column holds more than \(mostUsageValues) distinct values; it should name a few splits "
        + "(such as Training, PublicTest and PrivateTest)"

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
        space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), minus = UInt8(ascii: "-")

    /// Parses `rows`, writing pixels, label codes and chunk-local usage codes.
    func parse(
        rows: Range<Int>, records: UnsafePointer<CSVRecord>, pixels: UnsafeMutablePointer<UInt8>,
        labels: UnsafeMutablePointer<Int32>, usage: UnsafeMutablePointer<UInt16>?
    ) -> ChunkResult {
        var result = ChunkResult()
        var usageBytes: [[UInt8]] = []
        for row in rows {
            let record = records[row]
            var usageCode: UInt16 = 0
            let problem = parseRow(record, pixels: pixels + row * pixelsPerImage, label: labels + row) { content in
                if content.isEmpty { result.missingUsage += 1 }
                if let known = usageBytes.firstIndex(where: {
                    $0.count == content.count
                        && (content.isEmpty || memcmp($0, content.baseAddress!, content.count) == 0)
                }) {
                    usageCode = UInt16(known)
                } else if usageBytes.count < CSVRowParser.mostUsageValues {
                    usageCode = UInt16(usageBytes.count)
                    usageBytes.append(Array(content))
                } else {
                    return CSVRowParser.tooManyUsageValues
                }
                return nil
            }
            if let problem {
                result.failure = DataError(file: file, line: record.line, problem + truncationHint(record))
                break
            }
            usage?[row] = usageCode
        }
        result.usageNames = usageBytes.map { String(decoding: $0, as: UTF8.self) }
        return result
    }

    /// Parses one record; returns a problem description or `nil`.
    private func parseRow(
        _ record: CSVRecord, pixels: UnsafeMutablePointer<UInt8>,
        label: UnsafeMutablePointer<Int32>,
        usage: (UnsafeBufferPointer<UInt8>) -> String?
    ) -> String? {
        let end = record.end
        var position = record.start
        var column = 0
        let columnCount = header.names.count
        while true {
            guard column < columnCount else { return fieldCountProblem(record) }
            let quoted = position < end && base[position] == Self.quote
            let after: Int
            if column == header.pixels {
                if !quoted, let next = parsePlainPixels(from: position, end: end, into: pixels) {
                    after = next
                } else {
                    switch parsePixels(from: position, end: end, quoted: quoted, into: pixels) {
                    case .next(let next): after = next
                    case .problem(let problem): return problem
                    }
                }
            } else {
                switch fieldContent(from: position, end: end, quoted: quoted) {
                case .problem(let problem):
                    return problem
                case .content(let content, let next):
                    after = next
                    let trimmed = trim(content)
                    if column == header.emotion {
                        if let problem = parseEmotion(trimmed, into: label) { return problem }
                    } else if column == header.usage {
                        if let problem = usage(
                            UnsafeBufferPointer(
                                start: base + trimmed.lowerBound,
                                count: trimmed.count))
                        {
                            return problem
                        }
                    }
                }
            }
            column += 1
            if after >= end { break }
            position = after + 1
        }
        return column == columnCount ? nil : fieldCountProblem(record)
    }

    private enum FieldOutcome {
        case next(Int)
        case problem(String)
    }

    /// One value of 1-3 digits followed by a space, at `position`, read as an
    /// 8-byte word without data-dependent branches: the value and the bytes
    /// it takes with its space, or `nil` for anything else.
    @inline(__always)
    private func plainToken(at position: Int) -> (value: Int, length: Int)? {
        guard position &+ 8 <= total else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
        let digits = word ^ 0x3030_3030_3030_3030
        // The high bit of each byte that is not '0'-'9' (the low seven bits are added alone: no carries).
        let others = (((digits & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | digits) & 0x8080_8080_8080_8080
        let length = others.trailingZeroBitCount &>> 3
        let separator = (word &>> UInt64((length & 7) &* 8)) & 0xFF
        // The digits right-aligned in the low three bytes: hundreds, tens, ones.
        let aligned = digits &<< UInt64(((3 &- length) & 3) &* 8)
        let value = Int(aligned & 0xFF) &* 100 &+ Int((aligned &>> 8) & 0xFF) &* 10 &+ Int((aligned &>> 16) & 0xFF)
        guard UInt(bitPattern: length &- 1) < 3, separator == UInt64(Self.space), value <= 255 else { return nil }
        return (value, length &+ 1)
    }

    /// The common case done fast: an unquoted pixels field of exactly
    /// `pixelsPerImage` values of 1-3 digits separated by single spaces.
    /// Tuned builds parse all but the field's last few values four at a time
    /// with SIMD (CPixelText). Other builds parse the field's two halves in
    /// one loop, so the two chains of dependent loads overlap. Returns the
    /// position after the field, or `nil` for anything else, and then the
    /// careful parser starts the field over.
    private func parsePlainPixels(from start: Int, end: Int, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        let expected = pixelsPerImage
        guard end - start >= 32 else { return nil }
        // Values followed by spaces never hold the comma that ends the field: it is looked for after them.
        var parsed = 0
        let from = start + ferlab_parse_spaced_values(base + start, end - start, out, expected, &parsed)
        let fieldEnd =
            memchr(base + from, Int32(Self.comma), end - from)
            .map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? end
        let remaining = fieldEnd - from
        // The second half starts after the first space past the middle; what is short is one half.
        let split: Int
        if remaining < 32 {
            split = from - 1
        } else if let middle = memchr(base + from + remaining / 2, Int32(Self.space), remaining - remaining / 2) {
            split = UnsafeRawPointer(middle) - UnsafeRawPointer(base)
        } else {
            return nil
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: expected) { second -> Int? in
            var first = from, firstCount = parsed, next = split + 1, secondCount = 0
            // Both halves at once while the second has space-terminated values.
            while first <= split, let token = plainToken(at: next) {
                guard firstCount < expected, secondCount < expected, let value = plainToken(at: first) else {
                    return nil
                }
                out[firstCount] = UInt8(truncatingIfNeeded: value.value)
                second[secondCount] = UInt8(truncatingIfNeeded: token.value)
                firstCount &+= 1
                secondCount &+= 1
                first &+= value.length
                next &+= token.length
            }
            while first <= split {
                guard firstCount < expected, let value = plainToken(at: first) else { return nil }
                out[firstCount] = UInt8(truncatingIfNeeded: value.value)
                firstCount &+= 1
                first &+= value.length
            }
            while let token = plainToken(at: next), next < fieldEnd {
                guard secondCount < expected else { return nil }
                second[secondCount] = UInt8(truncatingIfNeeded: token.value)
                secondCount &+= 1
                next &+= token.length
            }
            // The last value, ended by the field's end instead of a space.
            guard first == split + 1, (1...3).contains(fieldEnd - next) else { return nil }
            var last = 0
            for position in next..<fieldEnd {
                let digit = Int(base[position] &- 48)
                guard digit < 10 else { return nil }
                last = last * 10 + digit
            }
            guard last <= 255, firstCount + secondCount + 1 == expected else { return nil }
            second[secondCount] = UInt8(last)
            (out + firstCount).update(from: second.baseAddress!, count: secondCount + 1)
            return fieldEnd
        }
    }

    /// Parses the pixels field starting at `start` straight into `out`.
    private func parsePixels(
        from start: Int, end: Int, quoted: Bool,
        into out: UnsafeMutablePointer<UInt8>
    ) -> FieldOutcome {
        let fieldStart = quoted ? start + 1 : start
        var position = fieldStart
        var count = 0
        var closed = !quoted
        let expected = pixelsPerImage
        while position < end {
            let byte = base[position]
            let digit = byte &- 48
            if digit < 10 {
                let tokenStart = position
                var value = Int(digit)
                position += 1
                while position < end {
                    let next = base[position] &- 48
                    if next >= 10 { break }
                    value = min(value &* 10 &+ Int(next), 1_000_000)
                    position += 1
                }
                if value > 255 {
                    let token = text(tokenStart, position)
                    return .problem("pixels value \(count + 1) is \(token), outside 0-255")
                }
                if count < expected { out[count] = UInt8(truncatingIfNeeded: value) }
                count += 1
            } else if byte == Self.space || byte == Self.tab {
                position += 1
            } else if byte == Self.comma && !quoted {
                break
            } else if byte == Self.quote && quoted {
                closed = true
                position += 1
                break
            } else {
                return .problem(badPixelToken(at: position, fieldStart: fieldStart, end: end, index: count))
            }
        }
        if !closed { return .problem("the quoted pixels field is not closed") }
        if position < end && base[position] != Self.comma {
            return .problem("unexpected text after the quoted pixels field")
        }
        if count != expected {
            if count == 0 { return .problem("pixels is empty, expected \(expected) values") }
            return .problem("pixels has \(count) values, expected \(expected)")
        }
        return .next(position)
    }

    private func badPixelToken(at position: Int, fieldStart: Int, end: Int, index: Int) -> String {
        var tokenStart = position
        while tokenStart > fieldStart && !isSeparator(base[tokenStart - 1]) { tokenStart -= 1 }
        var tokenEnd = position
        while tokenEnd < end && !isSeparator(base[tokenEnd]) { tokenEnd += 1 }
        let token = text(tokenStart, tokenEnd)
        let valueNumber = tokenStart < position ? index : index + 1
        if base[tokenStart] == Self.minus, tokenEnd - tokenStart > 1,
            (tokenStart + 1..<tokenEnd).allSatisfy({ base[$0] &- 48 < 10 })
        {
            return "pixels value \(valueNumber) is \(token), outside 0-255"
        }
        return "pixels value \(valueNumber) is '\(token)', not an integer 0-255"
    }

    private func isSeparator(_ byte: UInt8) -> Bool {
        byte == Self.space || byte == Self.tab || byte == Self.comma || byte == Self.quote
    }

    private enum ContentOutcome {
        case content(Range<Int>, next: Int)
        case problem(String)
    }

    /// The content range of a non-pixel field and where the field ends.
    private func fieldContent(from start: Int, end: Int, quoted: Bool) -> ContentOutcome {
        if !quoted {
            let remaining = end - start
            guard remaining > 0, let found = memchr(base + start, Int32(Self.comma), remaining) else {
                return .content(start..<end, next: end)
            }
            let comma = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            return .content(start..<comma, next: comma)
        }
        var position = start + 1
        while position < end {
            if base[position] == Self.quote {
                if position + 1 < end && base[position + 1] == Self.quote {
                    position += 2
                    continue
                }
                let after = position + 1
                if after < end && base[after] != Self.comma {
                    return .problem("unexpected text after a quoted field")
                }
                return .content((start + 1)..<position, next: after)
            }
            position += 1
        }
        return .problem("a quoted field is not closed")
    }

    private func trim(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && (base[lower] == Self.space || base[lower] == Self.tab) { lower += 1 }
        while upper > lower && (base[upper - 1] == Self.space || base[upper - 1] == Self.tab) { upper -= 1 }
        return lower..<upper
    }

    private func parseEmotion(_ range: Range<Int>, into label: UnsafeMutablePointer<Int32>) -> String? {
        guard !range.isEmpty else { return "emotion is empty" }
        let token = text(range.lowerBound, range.upperBound)
        let negative = base[range.lowerBound] == Self.minus
        let digits = (negative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ base[$0] &- 48 < 10 }) else {
            return "emotion is '\(token)', not an integer label code"
        }
        let code = digits.reduce(0) { $0 * 10 + Int(base[$1] - 48) }
        guard !negative, code < labelCount else {
            return "unknown emotion code \(token) (codes are 0-\(labelCount - 1)\(labelHint))"
        }
        label.pointee = Int32(code)
        return nil
    }

    private func fieldCountProblem(_ record: CSVRecord) -> String {
        let raw = UnsafeRawBufferPointer(start: base, count: total)
        let found = (try? CSVFieldSplitter.fields(of: record, in: raw, file: file).count) ?? 0
        return "row has \(found) fields, the header has \(header.names.count)"
    }

    private func truncationHint(_ record: CSVRecord) -> String {
        record.end == total ? " (the last line has no line end: the file may be truncated)" : ""
    }

    /// Bytes `from..<to` as text for a message, shortened when long.
    private func text(_ from: Int, _ to: Int) -> String {
        let shown = min(to - from, 24)
        let string = String(decoding: UnsafeBufferPointer(start: base + from, count: shown), as: UTF8.self)
        return shown < to - from ? string + "..." : string
    }
}
