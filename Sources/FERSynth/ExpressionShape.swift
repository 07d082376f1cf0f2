import FERCore

/// The facial geometry that makes an expression: brows, eyes and mouth.
/// Distances are in units of the face's half-width.
struct ExpressionShape {
    /// Both brows up (positive) or down (negative).
    var browRaise: Double
    /// Inner brow ends up (positive: sad, fearful) or down (negative: angry).
    var browTilt: Double
    /// Upward bow in the middle of each brow.
    var browArch: Double
    /// Eye opening relative to a relaxed eye.
    var eyeOpen: Double
    /// Mouth half-width.
    var mouthWidth: Double
    /// Mouth corners up (positive: smile) or down (negative: frown).
    var mouthCurve: Double
    /// Gap between the lips.
    var mouthOpen: Double
    /// Chance of showing teeth when the mouth is open.
    var teethChance: Double
    /// Raised upper lip on one side (the sneer of disgust).
    var sneer: Double
    /// Wrinkles on the nose bridge.
    var noseWrinkle: Double

    /// The typical shape of each of FER2013's emotions, by code.
    static let prototypes: [ExpressionShape] = [
        // Angry: brows pulled down and together, narrowed eyes, pressed lips.
        ExpressionShape(
            browRaise: -0.07, browTilt: -0.17, browArch: 0, eyeOpen: 0.75, mouthWidth: 0.40,
            mouthCurve: -0.06, mouthOpen: 0.03, teethChance: 0.6, sneer: 0, noseWrinkle: 0.4),
        // Disgust: lowered brows, squint, raised upper lip on one side, wrinkled nose.
        ExpressionShape(
            browRaise: -0.04, browTilt: -0.08, browArch: 0, eyeOpen: 0.55, mouthWidth: 0.44,
            mouthCurve: -0.09, mouthOpen: 0.06, teethChance: 0.5, sneer: 0.2, noseWrinkle: 1),
        // Fear: raised brows drawn together, wide eyes, stretched open mouth.
        ExpressionShape(
            browRaise: 0.13, browTilt: 0.13, browArch: 0.02, eyeOpen: 1.4, mouthWidth: 0.52,
            mouthCurve: -0.07, mouthOpen: 0.13, teethChance: 0.5, sneer: 0, noseWrinkle: 0),
        // Happy: relaxed brows, crinkled eyes, wide upturned mouth.
        ExpressionShape(
            browRaise: 0.02, browTilt: 0, browArch: 0.02, eyeOpen: 0.78, mouthWidth: 0.60,
            mouthCurve: 0.24, mouthOpen: 0.10, teethChance: 0.7, sneer: 0, noseWrinkle: 0),
        // Sad: inner brows raised, lowered lids, downturned mouth.
        ExpressionShape(
            browRaise: 0, browTilt: 0.16, browArch: 0, eyeOpen: 0.68, mouthWidth: 0.40,
            mouthCurve: -0.17, mouthOpen: 0, teethChance: 0, sneer: 0, noseWrinkle: 0),
        // Surprise: high arched brows, very wide eyes, round open mouth.
        ExpressionShape(
            browRaise: 0.21, browTilt: 0.02, browArch: 0.08, eyeOpen: 1.55, mouthWidth: 0.26,
            mouthCurve: 0, mouthOpen: 0.32, teethChance: 0.15, sneer: 0, noseWrinkle: 0),
        // Neutral: everything at rest.
        ExpressionShape(
            browRaise: 0, browTilt: 0, browArch: 0.01, eyeOpen: 1, mouthWidth: 0.44,
            mouthCurve: 0.01, mouthOpen: 0, teethChance: 0, sneer: 0, noseWrinkle: 0),
    ]

    /// This shape with person-to-person variation added: expressions of one
    /// class differ, and neighbouring classes overlap a little, as in real data.
    func varied(using random: inout SeededGenerator) -> ExpressionShape {
        var shape = self
        shape.browRaise += random.normal(mean: 0, deviation: 0.035)
        shape.browTilt += random.normal(mean: 0, deviation: 0.04)
        shape.browArch = max(0, shape.browArch + random.normal(mean: 0, deviation: 0.015))
        shape.eyeOpen = max(0.3, shape.eyeOpen * (1 + random.normal(mean: 0, deviation: 0.12)))
        shape.mouthWidth = max(0.18, shape.mouthWidth * (1 + random.normal(mean: 0, deviation: 0.1)))
        shape.mouthCurve += random.normal(mean: 0, deviation: 0.04)
        shape.mouthOpen = max(0, shape.mouthOpen + random.normal(mean: 0, deviation: 0.025))
        shape.sneer = max(0, shape.sneer + random.normal(mean: 0, deviation: 0.02))
        return shape
    }
}
