import FERCore

/// A dense row-major matrix of `Float`, stored contiguously: the data
/// layout every numerical routine in FERLab works on.
package struct Matrix: Sendable, Equatable {
    /// Number of rows (samples).
    package let rows: Int
    /// Number of columns (features).
    package let columns: Int
    /// `rows * columns` values, row after row.
    package var values: [Float]

    /// Creates a matrix over `values`, which must hold `rows * columns` entries.
    package init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "values must fill the matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix filled with `value`.
    package init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns))
    }

    /// A matrix from nested rows (for tests and small inputs).
    package init(_ nested: [[Double]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "rows must have equal lengths")
        self.init(rows: nested.count, columns: columns, values: nested.flatMap { $0.map(Float.init) })
    }

    /// The entry at `row`, `column`.
    package subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The values of one row.
    package func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// A matrix of the given rows, in the given order.
    package func selecting(rows indices: [Int]) -> Matrix {
        let d = columns
        let result = [Float](count: indices.count * d) { out in
            values.withUnsafeBufferPointer { source in
                for (target, row) in indices.enumerated() {
                    (out.baseAddress! + target * d).initialize(from: source.baseAddress! + row * d, count: d)
                }
            }
        }
        return Matrix(rows: indices.count, columns: columns, values: result)
    }

    /// The rows of `placed` at `positions` (ascending), and the rows of `rest`, in order, everywhere else.
    package init(interleaving placed: Matrix, at positions: [Int], with rest: Matrix) {
        precondition(
            placed.rows == positions.count && placed.columns == rest.columns, "one position per row, equal columns")
        let count = placed.rows + rest.rows, d = rest.columns
        var values = [Float]()
        values.reserveCapacity(count * d)
        var next = 0
        for row in 0..<count {
            if next < positions.count && positions[next] == row {
                values += placed.row(next)
                next += 1
            } else {
                values += rest.row(row - next)
            }
        }
        self.init(rows: count, columns: d, values: values)
    }

    /// A matrix of the first `count` columns.
    package func leadingColumns(_ count: Int) -> Matrix {
        precondition(count <= columns, "cannot take more columns than there are")
        return selecting(columns: 0..<count)
    }

    /// A matrix of the columns `range`.
    package func selecting(columns range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "cannot take columns that are not there")
        if range.count == columns { return self }
        let count = range.count
        var result = [Float](repeating: 0, count: rows * count)
        for index in 0..<rows {
            result[(index * count)..<((index + 1) * count)] =
                values[(index * columns + range.lowerBound)..<(index * columns + range.upperBound)]
        }
        return Matrix(rows: rows, columns: count, values: result)
    }
}

extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, columns, values }

    /// Decodes a matrix, refusing one whose values do not fill it.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        let values = try container.decode([Float].self, forKey: .values)
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (values.count, false) else {
            throw DecodingError.dataCorruptedError(
                forKey: .values, in: container,
                debugDescription: "\(values.count) values cannot fill \(rows) x \(columns)")
        }
        self.init(rows: rows, columns: columns, values: values)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(values, forKey: .values)
    }
}
