import Mustache

/// A choice as templates test it: a flag for every value of its type, the
/// chosen one true (`{{#feature_kind.hog_lbp}}`). Every value is present, so
/// a section over a value the choice does not hold is misspelt or unknown,
/// and `TemplateNames` refuses it as it refuses every missing name.
struct TemplateChoice: MustacheParent {
    /// Each value's flag, by its template name.
    let flags: [String: Bool]

    /// The flags of `choice`'s type, with `choice`'s true.
    init<Choice: RawRepresentable & CaseIterable & Equatable>(_ choice: Choice) where Choice.RawValue == String {
        flags = Dictionary(uniqueKeysWithValues: Choice.allCases.map { (Self.key($0), $0 == choice) })
    }

    func child(named name: String) -> Any? { flags[name] }

    /// The name templates test `value` by: its name with `-` and `+` as `_` (`hog+lbp`: `hog_lbp`).
    static func key<Choice: RawRepresentable>(_ value: Choice) -> String where Choice.RawValue == String {
        String(value.rawValue.map { $0 == "-" || $0 == "+" ? "_" : $0 })
    }
}
