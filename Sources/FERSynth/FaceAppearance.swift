import FERCore

/// Everything about a synthetic face that is not its expression: where it
/// sits in the frame, its tones, hair, glasses, lighting and sensor noise.
/// These are the nuisance factors that dominate raw pixels in real photos.
struct FaceAppearance {
    /// Face centre, in pixels of the 48x48 frame.
    var centerX: Double
    var centerY: Double
    /// Face half-width in pixels.
    var size: Double
    /// Head tilt in radians.
    var tilt: Double
    /// Sideways turn in -1...1: features shift and the far side narrows.
    var turn: Double
    /// Gray levels in 0...1.
    var skin: Double
    var hair: Double
    var background: Double
    var clothing: Double
    /// 0 bald, 1 short, 2 long.
    var hairStyle: Int
    /// Where the hair starts on the forehead (face units below the top).
    var hairline: Double
    var glasses: Bool
    /// Direction and strength of a darkening light gradient across the frame.
    var lightAngle: Double
    var lightStrength: Double
    /// Standard deviation of pixel noise, in gray levels.
    var noise: Double
    /// Overall contrast multiplier around mid-gray.
    var contrast: Double
    /// Iris gaze offset, in face units.
    var gazeX: Double

    /// Draws a random appearance.
    static func random(using random: inout SeededGenerator) -> FaceAppearance {
        let styleRoll = random.uniform()
        return FaceAppearance(
            centerX: 24 + random.normal(mean: 0, deviation: 1.6),
            centerY: 26.5 + random.normal(mean: 0, deviation: 1.6),
            size: random.uniform(16.5...20.5),
            tilt: random.normal(mean: 0, deviation: 0.12),
            turn: random.normal(mean: 0, deviation: 0.18),
            skin: random.uniform(0.42...0.86),
            hair: random.uniform(0.04...0.62),
            background: random.uniform(0.08...0.92),
            clothing: random.uniform(0.05...0.8),
            hairStyle: styleRoll < 0.08 ? 0 : (styleRoll < 0.6 ? 1 : 2),
            hairline: random.uniform(0.28...0.5),
            glasses: random.chance(0.15),
            lightAngle: random.uniform(0...(2 * Double.pi)),
            lightStrength: random.chance(0.75) ? random.uniform(0.05...0.45) : 0,
            noise: random.uniform(1.5...7),
            contrast: random.uniform(0.85...1.3),
            gazeX: random.normal(mean: 0, deviation: 0.03)
        )
    }
}
