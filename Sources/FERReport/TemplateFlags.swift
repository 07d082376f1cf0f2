/// A choice as templates test it: a flag for every value of its type, the
/// chosen one true (`{{#feature_kind.hog_lbp}}`). Every value is present, so
/// a misspelt or unknown value in a template is refused (`TemplateNames`)
/// instead of reading as false.
enum TemplateFlags {
    /// The flags of `choice`'s type, by `key`, with `choice`'s true.
    static func of<Choice: RawRepresentable & CaseIterable & Equatable>(_ choice: Choice) -> [String: Bool]
    where Choice.RawValue == String {
        Dictionary(uniqueKeysWithValues: Choice.allCases.map { (key($0), $0 == choice) })
    }

    /// The name templates test `value` by: its name with `-` and `+` as `_` (`hog+lbp`: `hog_lbp`).
    static func key<Choice: RawRepresentable>(_ value: Choice) -> String where Choice.RawValue == String {
        String(value.rawValue.map { $0 == "-" || $0 == "+" ? "_" : $0 })
    }
}
