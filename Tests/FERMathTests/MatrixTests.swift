import Testing

@testable import FERMath

/// Building matrices from the rows of others.
@Suite struct MatrixTests {
    @Test func interleavingPutsEachRowInItsPlace() {
        let placed = Matrix([[10, 11], [30, 31], [40, 41]])
        let rest = Matrix([[0, 1], [20, 21], [50, 51]])
        let whole = Matrix(interleaving: placed, at: [1, 3, 4], with: rest)
        #expect(whole == Matrix([[0, 1], [10, 11], [20, 21], [30, 31], [40, 41], [50, 51]]))
        #expect(
            Matrix(interleaving: rest, at: [0, 1, 2], with: placed)
                == Matrix([[0, 1], [20, 21], [50, 51], [10, 11], [30, 31], [40, 41]]))
    }
}
