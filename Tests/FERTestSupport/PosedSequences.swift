import FERCodecs
import FERCore
import FERSynth
import Foundation

/// A posed-expression image folder: subjects, each with sequences of nearly
/// identical frames (one built-in face each, the frames differing by a little
/// noise), stored as `<label>/S<subject>_<sequence>_<frame>.png`, the layout
/// of the posed sets whose frames leak across a split made by image.
package enum PosedSequences {
    /// The pattern whose first capture group names each image's subject.
    package static let subjectPattern = "/(S[0-9]+)_"

    /// Writes the folder: `subjects` subjects of `sequences` sequences of `frames` frames.
    package static func make(subjects: Int = 30, sequences: Int = 2, frames: Int = 4) throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        let faces = SyntheticFaces.generate(count: subjects * sequences, seed: 11)
        var random = SeededGenerator(seed: 12)
        for face in 0..<faces.count {
            let label = faces.labelName(face), subject = face / sequences, sequence = face % sequences
            try FileManager.default.createDirectory(atPath: root.file(label), withIntermediateDirectories: true)
            for frame in 0..<frames {
                let pixels = faces.image(face).map { UInt8(clamping: Int($0) + random.below(5) - 2) }
                let png = try PNGCodec.encode(width: faces.width, height: faces.height, channels: 1, pixels: pixels)
                let name = String(format: "%@/S%03d_%03d_%08d.png", label, subject, sequence, frame)
                try Data(png).write(to: URL(fileURLWithPath: root.file(name)))
            }
        }
        return root
    }
}
