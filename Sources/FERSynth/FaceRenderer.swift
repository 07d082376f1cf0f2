import FERCanvas
import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws one synthetic face with Cairo and returns its 48x48 gray pixels.
///
/// The face is drawn at twice the resolution and averaged down, which keeps
/// thin strokes (lids, brows, lips) soft the way a downscaled photo is.
enum FaceRenderer {
    /// Frame size in pixels.
    static let side = 48
    private static let oversampling = 2

    /// Renders `shape` with `look`; `random` supplies the per-pixel noise and small details.
    static func render(_ shape: ExpressionShape, look: FaceAppearance, random: inout SeededGenerator) -> [UInt8] {
        let canvas = Canvas(
            width: side, height: side, scale: Double(oversampling),
            background: Color(gray: look.background))
        canvas.setRoundLines()
        drawShoulders(on: canvas, look: look)
        canvas.withState {
            canvas.translate(look.centerX, look.centerY)
            canvas.rotate(look.tilt)
            canvas.scaleBy(look.size, look.size)
            drawHead(on: canvas, shape: shape, look: look, random: &random)
        }
        drawLighting(on: canvas, look: look)
        let large = canvas.grayPixels()
        return finish(large, look: look, random: &random)
    }

    // MARK: Head

    private static func drawShoulders(on canvas: Canvas, look: FaceAppearance) {
        let neckX = look.centerX
        let top = look.centerY + look.size * 1.05
        canvas.setColor(Color(gray: look.skin * 0.82))
        canvas.rectangle(neckX - look.size * 0.42, top - look.size * 0.3, look.size * 0.84, look.size * 0.9)
        canvas.fill()
        canvas.setColor(Color(gray: look.clothing))
        canvas.move(to: neckX - look.size * 2.2, 48.5)
        canvas.curve(
            neckX - look.size * 1.6, top + look.size * 0.35, neckX - look.size * 0.8, top + look.size * 0.3,
            to: neckX - look.size * 0.4, top + look.size * 0.42)
        canvas.line(to: neckX + look.size * 0.4, top + look.size * 0.42)
        canvas.curve(
            neckX + look.size * 0.8, top + look.size * 0.3, neckX + look.size * 1.6, top + look.size * 0.35,
            to: neckX + look.size * 2.2, 48.5)
        canvas.closePath()
        canvas.fill()
    }

    /// Draws in face units: origin at the face centre, half-width 1, y down.
    private static func drawHead(
        on canvas: Canvas, shape: ExpressionShape, look: FaceAppearance,
        random: inout SeededGenerator
    ) {
        let faceHeight = 1.28
        let turn = look.turn
        let skin = Color(gray: look.skin)
        let hair = Color(gray: look.hair)

        if look.hairStyle == 2 {
            canvas.setColor(hair)
            canvas.ellipse(0, 0.15, radiusX: 1.32, radiusY: 1.55)
            canvas.fill()
        }
        // Ears.
        canvas.setColor(Color(gray: look.skin * 0.9))
        canvas.ellipse(-1.0 - turn * 0.15, -0.02, radiusX: 0.16, radiusY: 0.26)
        canvas.ellipse(1.0 - turn * 0.15, -0.02, radiusX: 0.16, radiusY: 0.26)
        canvas.fill()
        // Face, lit from the front.
        canvas.ellipse(-turn * 0.08, 0, radiusX: 1 - abs(turn) * 0.08, radiusY: faceHeight)
        canvas.fillRadialGradient(
            center: (-turn * 0.3, -0.2), radius: 1.5,
            Color(gray: min(1, look.skin * 1.08)), Color(gray: look.skin * 0.72))
        // Hair on top of the head.
        if look.hairStyle > 0 {
            canvas.withState {
                canvas.ellipse(-turn * 0.08, -0.08, radiusX: 1.1, radiusY: faceHeight + 0.12)
                canvas.clip()
                canvas.setColor(hair)
                let line = -faceHeight + look.hairline
                canvas.move(to: -1.3, 0.1)
                canvas.line(to: -1.3, -2)
                canvas.line(to: 1.3, -2)
                canvas.line(to: 1.3, 0.1)
                canvas.line(to: 0.98, 0.05)
                canvas.curve(0.8, line + 0.15, 0.3, line - 0.05, to: -turn * 0.2, line)
                canvas.curve(-0.3, line - 0.02, -0.8, line + 0.2, to: -0.98, 0.05)
                canvas.closePath()
                canvas.fill()
            }
        }

        let featureShift = -turn * 0.22
        drawBrows(on: canvas, shape: shape, look: look, shift: featureShift)
        drawEyes(on: canvas, shape: shape, look: look, shift: featureShift)
        drawNose(on: canvas, shape: shape, look: look, shift: featureShift)
        drawMouth(on: canvas, shape: shape, look: look, shift: featureShift, skin: skin, random: &random)
        if look.glasses { drawGlasses(on: canvas, shift: featureShift) }
    }

    private static func drawBrows(on canvas: Canvas, shape: ExpressionShape, look: FaceAppearance, shift: Double) {
        canvas.setColor(Color(gray: min(look.hair, look.skin * 0.45)))
        canvas.setLineWidth(0.11)
        for side in [-1.0, 1.0] {
            let baseY = -0.5 - shape.browRaise
            let innerX = shift + side * 0.14, outerX = shift + side * 0.66
            let innerY = baseY - shape.browTilt, outerY = baseY + shape.browTilt * 0.35
            canvas.move(to: innerX, innerY)
            canvas.quadCurve(
                control: (innerX + outerX) / 2, (innerY + outerY) / 2 - 0.06 - shape.browArch * 1.5,
                to: outerX, outerY)
            canvas.stroke()
        }
    }

    private static func drawEyes(on canvas: Canvas, shape: ExpressionShape, look: FaceAppearance, shift: Double) {
        let eyeY = -0.2
        let halfHeight = 0.095 * shape.eyeOpen
        for side in [-1.0, 1.0] {
            let x = shift + side * 0.38
            // Socket shadow.
            canvas.setColor(Color(gray: look.skin * 0.78))
            canvas.ellipse(x, eyeY - 0.02, radiusX: 0.26, radiusY: 0.15 + halfHeight * 0.5)
            canvas.fill()
            // White of the eye.
            canvas.setColor(Color(gray: min(0.95, look.skin + 0.25)))
            canvas.ellipse(x, eyeY, radiusX: 0.2, radiusY: halfHeight)
            canvas.fill()
            // Iris, clipped to the opening.
            canvas.withState {
                canvas.ellipse(x, eyeY, radiusX: 0.2, radiusY: halfHeight)
                canvas.clip()
                canvas.setColor(Color(gray: 0.1))
                canvas.circle(x + look.gazeX, eyeY, radius: 0.095)
                canvas.fill()
            }
            // Upper lid.
            canvas.setColor(Color(gray: look.skin * 0.3))
            canvas.setLineWidth(0.06)
            canvas.move(to: x - 0.21, eyeY + 0.01)
            canvas.quadCurve(control: x, eyeY - halfHeight * 2.1, to: x + 0.21, eyeY + 0.01)
            canvas.stroke()
        }
    }

    private static func drawNose(on canvas: Canvas, shape: ExpressionShape, look: FaceAppearance, shift: Double) {
        canvas.setColor(Color(gray: look.skin * 0.7))
        canvas.setLineWidth(0.06)
        canvas.move(to: shift + 0.05, -0.1)
        canvas.quadCurve(control: shift + 0.13, 0.18, to: shift + 0.07, 0.3)
        canvas.stroke()
        canvas.setColor(Color(gray: look.skin * 0.45))
        canvas.ellipse(shift - 0.09, 0.33, radiusX: 0.06, radiusY: 0.035)
        canvas.ellipse(shift + 0.09, 0.33, radiusX: 0.06, radiusY: 0.035)
        canvas.fill()
        if shape.noseWrinkle > 0 {
            canvas.setColor(Color(gray: look.skin * 0.5, alpha: min(1, shape.noseWrinkle)))
            canvas.setLineWidth(0.045)
            for offset in [-0.06, 0.06] {
                canvas.move(to: shift - 0.12, -0.22 + offset)
                canvas.quadCurve(control: shift, -0.17 + offset, to: shift + 0.12, -0.22 + offset)
                canvas.stroke()
            }
        }
    }

    private static func drawMouth(
        on canvas: Canvas, shape: ExpressionShape, look: FaceAppearance, shift: Double,
        skin: Color, random: inout SeededGenerator
    ) {
        let y = 0.66
        let half = shape.mouthWidth
        let left = shift - half, right = shift + half
        let cornerY = y - shape.mouthCurve
        let sneerY = shape.sneer
        let open = shape.mouthOpen
        let upperControl = y - open * 0.6 - shape.mouthCurve * 0.1 - sneerY
        let lowerControl = y + open * 1.6 + shape.mouthCurve * 0.9

        if open > 0.04 {
            // Open mouth: dark cavity between the lips, teeth along the top.
            let cavity = {
                canvas.move(to: left, cornerY)
                canvas.curve(
                    left + half * 0.5, upperControl, right - half * 0.5, upperControl + sneerY * 1.5,
                    to: right, cornerY - sneerY)
                canvas.curve(right - half * 0.4, lowerControl, left + half * 0.4, lowerControl, to: left, cornerY)
                canvas.closePath()
            }
            cavity()
            canvas.setColor(Color(gray: 0.08))
            canvas.fill()
            if random.chance(shape.teethChance) {
                canvas.withState {
                    cavity()
                    canvas.clip()
                    canvas.setColor(Color(gray: 0.88))
                    canvas.rectangle(left, upperControl - 0.2, half * 2, 0.2 + open * 0.55)
                    canvas.fill()
                }
            }
            canvas.setColor(Color(gray: look.skin * 0.55))
            canvas.setLineWidth(0.06)
            cavity()
            canvas.stroke()
        } else {
            // Closed lips: a dark line between a shaded upper and a lit lower lip.
            canvas.setColor(Color(gray: look.skin * 0.78))
            canvas.move(to: left, cornerY)
            canvas.curve(left + half * 0.5, y - 0.1 - sneerY, right - half * 0.5, y - 0.1, to: right, cornerY - sneerY)
            canvas.curve(
                right - half * 0.4, y + 0.16 + shape.mouthCurve * 0.9, left + half * 0.4,
                y + 0.16 + shape.mouthCurve * 0.9, to: left, cornerY)
            canvas.closePath()
            canvas.fill()
            canvas.setColor(Color(gray: look.skin * 0.32))
            canvas.setLineWidth(0.065)
            canvas.move(to: left, cornerY)
            canvas.curve(
                left + half * 0.5, y + shape.mouthCurve * 0.55 - sneerY,
                right - half * 0.5, y + shape.mouthCurve * 0.55, to: right, cornerY - sneerY)
            canvas.stroke()
        }
        if shape.mouthCurve > 0.12 {
            // Cheek folds of a smile.
            canvas.setColor(Color(gray: look.skin * 0.7))
            canvas.setLineWidth(0.045)
            for side in [-1.0, 1.0] {
                let x = shift + side * (half + 0.12)
                canvas.move(to: x - side * 0.1, 0.32)
                canvas.quadCurve(control: x + side * 0.05, 0.52, to: x, cornerY + 0.1)
                canvas.stroke()
            }
        }
    }

    private static func drawGlasses(on canvas: Canvas, shift: Double) {
        canvas.setColor(Color(gray: 0.08))
        canvas.setLineWidth(0.07)
        for side in [-1.0, 1.0] {
            let x = shift + side * 0.4
            canvas.rectangle(x - 0.28, -0.36, 0.56, 0.34)
            canvas.stroke()
        }
        canvas.move(to: shift - 0.12, -0.24)
        canvas.line(to: shift + 0.12, -0.24)
        canvas.stroke()
    }

    // MARK: Lighting and sensor

    private static func drawLighting(on canvas: Canvas, look: FaceAppearance) {
        guard look.lightStrength > 0 else { return }
        let dx = cos(look.lightAngle) * 24, dy = sin(look.lightAngle) * 24
        canvas.rectangle(0, 0, 48, 48)
        canvas.fillLinearGradient(
            from: (24 - dx, 24 - dy), Color(gray: 0, alpha: look.lightStrength),
            to: (24 + dx, 24 + dy), Color(gray: 1, alpha: look.lightStrength * 0.4))
    }

    /// Averages the oversampled pixels down to 48x48, applies contrast and noise.
    private static func finish(_ large: [UInt8], look: FaceAppearance, random: inout SeededGenerator) -> [UInt8] {
        let factor = oversampling
        let largeSide = side * factor
        var output = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                var sum = 0
                for dy in 0..<factor {
                    for dx in 0..<factor {
                        sum += Int(large[(y * factor + dy) * largeSide + x * factor + dx])
                    }
                }
                let mean = Double(sum) / Double(factor * factor)
                let value = 128 + (mean - 128) * look.contrast + random.normal() * look.noise
                output[y * side + x] = UInt8(max(0, min(255, value.rounded())))
            }
        }
        return output
    }
}
