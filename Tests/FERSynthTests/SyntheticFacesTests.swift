import FERData
import Testing

@testable import FERSynth

@Suite struct SyntheticFacesTests {
    @Test func sameSeedSameBytes() {
        let first = SyntheticFaces.generate(count: 120, seed: 5)
        let second = SyntheticFaces.generate(count: 120, seed: 5)
        #expect(first == second)
        #expect(CSVDatasetWriter.encode(first) == CSVDatasetWriter.encode(second))
    }

    /// A set written a piece at a time (`ferlab synth` of a million faces) is the set made whole, byte for byte.
    @Test func piecesOfASetMakeTheWholeSet() {
        let whole = SyntheticFaces.generate(count: 130, seed: 5)
        let labels = SyntheticFaces.shuffledLabels(count: 130, seed: 5)
        var text: [UInt8] = []
        for rows in [0..<7, 7..<64, 64..<65, 65..<130] {
            let piece = SyntheticFaces.generate(count: 130, seed: 5, rows: rows, labels: labels)
            #expect(piece.pixels == Array(whole.pixels[(rows.lowerBound * 2304)..<(rows.upperBound * 2304)]))
            text += CSVDatasetWriter.encode(piece, header: rows.lowerBound == 0)
        }
        #expect(text == CSVDatasetWriter.encode(whole))
    }

    @Test func otherSeedOtherFaces() {
        let first = SyntheticFaces.generate(count: 30, seed: 5)
        let second = SyntheticFaces.generate(count: 30, seed: 6)
        #expect(first.pixels != second.pixels)
    }

    @Test func classesFollowFER2013Proportions() {
        let dataset = SyntheticFaces.generate(count: 700, seed: 2)
        let counts = dataset.classCounts
        #expect(counts.reduce(0, +) == 700)
        let total = Double(SyntheticFaces.fer2013ClassCounts.reduce(0, +))
        for (count, reference) in zip(counts, SyntheticFaces.fer2013ClassCounts) {
            #expect(abs(Double(count) - Double(reference) / total * 700) <= 1)
        }
        #expect(counts[3] > counts[0] && counts[1] < counts[5])
    }

    @Test func everyClassAppearsEvenInTinySets() {
        #expect(SyntheticFaces.shuffledLabels(count: 7, seed: 1).sorted() == [0, 1, 2, 3, 4, 5, 6])
        #expect(SyntheticFaces.shuffledLabels(count: 3, seed: 1).count == 3)
    }

    @Test func splitIsTrainingThenPublicThenPrivate() {
        let dataset = SyntheticFaces.generate(count: 100, seed: 3)
        let names = (0..<100).compactMap(dataset.usageName)
        #expect(names.count == 100)
        #expect(names.prefix(80).allSatisfy { $0 == "Training" })
        #expect(names[80..<90].allSatisfy { $0 == "PublicTest" })
        #expect(names.suffix(10).allSatisfy { $0 == "PrivateTest" })
        #expect(dataset.labelNames == EmotionLabels.fer2013)
    }

    @Test func facesHaveStructure() {
        // Not blank, not saturated: each image has real contrast.
        let dataset = SyntheticFaces.generate(count: 40, seed: 4)
        for row in 0..<dataset.count {
            let image = dataset.image(row).map(Double.init)
            let mean = image.reduce(0, +) / Double(image.count)
            let deviation = (image.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(image.count)).squareRoot()
            #expect(deviation > 12, "row \(row) is nearly flat")
        }
    }

    @Test func expressionsDifferWhereFacesShowThem() {
        // Mean Happy and Sad faces differ most around the mouth, not in the corners.
        let dataset = SyntheticFaces.generate(count: 600, seed: 8)
        func meanFace(_ code: Int32) -> [Double] {
            let rows = (0..<dataset.count).filter { dataset.labels[$0] == code }
            var sum = [Double](repeating: 0, count: 2304)
            for row in rows { for (index, value) in dataset.image(row).enumerated() { sum[index] += Double(value) } }
            return sum.map { $0 / Double(rows.count) }
        }
        let happy = meanFace(3), sad = meanFace(4)
        func regionDifference(_ xs: Range<Int>, _ ys: Range<Int>) -> Double {
            var total = 0.0
            for y in ys { for x in xs { total += abs(happy[y * 48 + x] - sad[y * 48 + x]) } }
            return total / Double(xs.count * ys.count)
        }
        #expect(regionDifference(16..<32, 34..<42) > 2 * regionDifference(0..<6, 0..<6))
    }
}
