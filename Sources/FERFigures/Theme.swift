import FERCanvas

/// The look shared by every figure: text sizes and colours.
public enum Theme {
    /// Figure titles.
    public static let titleSize = 15.0
    /// Axis labels and tile captions.
    public static let labelSize = 11.0
    /// Tick labels and small print.
    public static let smallSize = 9.5
    /// Main text colour.
    public static let ink = Color(hex: 0x222222)
    /// Secondary text colour.
    public static let mutedInk = Color(hex: 0x666666)
    /// Outer margin in points.
    public static let margin = 16.0
}
