import Yams

extension ConfigKey.Kind {
    /// Neighbouring integers (or a small one for a large count).
    private static func neighbours(_ number: Int) -> [String] {
        number > 1_000 ? ["100"] : ["\(number + 1)", "\(max(0, number - 1))", "50"]
    }

    /// A number as YAML writes it: `2` for a whole number, `0.45` otherwise.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension ConfigKey.Kind where Value: LosslessStringConvertible {
    /// A value written, and shown, as itself.
    static func plain(
        read: @escaping @Sendable (inout ConfigSection, String, Value, ExperimentConfig) throws -> Value,
        others: @escaping @Sendable (Value) -> [String]
    ) -> Self {
        Self(read: read, yaml: { "\($0)" }, text: { "\($0)" }, others: others)
    }
}

extension ConfigKey.Kind where Value == Int {
    /// An integer within the range the config read so far allows.
    static func int(_ range: @escaping @Sendable (ExperimentConfig) -> ClosedRange<Int>) -> Self {
        plain(
            read: { section, key, fallback, config in try section.int(key, default: fallback, in: range(config)) },
            others: { neighbours($0) })
    }

    /// An integer in `range`.
    static func int(_ range: ClosedRange<Int>) -> Self { int { _ in range } }
}

extension ConfigKey.Kind where Value == Int? {
    /// An integer in `range`, or `null`.
    static func optionalInt(_ range: ClosedRange<Int>) -> Self {
        Self(
            read: { section, key, fallback, _ in try section.optionalInt(key, default: fallback, in: range) },
            yaml: { $0.map(String.init) ?? "null" }, text: { $0.map(String.init) ?? "null" },
            others: { $0.map { neighbours($0) + ["null"] } ?? ["48", "20", "1"] })
    }
}

extension ConfigKey.Kind where Value == UInt64 {
    /// A seed.
    static var seed: Self {
        plain(
            read: { section, key, fallback, _ in try section.seed(key, default: fallback) }, others: { ["\($0 + 1)"] })
    }
}

extension ConfigKey.Kind where Value == Double {
    /// A number in `range`.
    static func double(_ range: ClosedRange<Double>) -> Self {
        Self(
            read: { section, key, fallback, _ in try section.double(key, default: fallback, in: range) },
            yaml: { decimal($0) }, text: { "\($0)" }, others: { [decimal($0 / 2)] })
    }
}

extension ConfigKey.Kind where Value == Bool {
    /// `true` or `false`.
    static var bool: Self {
        plain(read: { section, key, fallback, _ in try section.bool(key, default: fallback) }, others: { ["\(!$0)"] })
    }
}

extension ConfigKey.Kind where Value == String {
    /// A non-empty text.
    static var string: Self {
        Self(
            read: { section, key, fallback, _ in try section.string(key, default: fallback) },
            yaml: { $0 }, text: { $0 }, others: { _ in [] })
    }
}

extension ConfigKey.Kind where Value == String? {
    /// A non-empty text, or `null`.
    static var optionalString: Self {
        Self(
            read: { section, key, _, _ in try section.optionalString(key) },
            yaml: { $0 ?? "null" }, text: { $0 ?? "null" }, others: { _ in [] })
    }
}

extension ConfigKey.Kind where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the type's values, by name.
    static var choice: Self {
        Self(
            read: { section, key, fallback, _ in try section.choice(key, default: fallback) },
            yaml: { $0.rawValue }, text: { $0.rawValue },
            others: { value in Value.allCases.map(\.rawValue).filter { $0 != value.rawValue } })
    }
}

extension ConfigKey.Kind {
    /// A list of the element type's values, by name.
    static func choices<Element>() -> Self
    where Value == [Element], Element: RawRepresentable & CaseIterable & Sendable, Element.RawValue == String {
        Self(
            read: { section, key, fallback, _ in try section.choices(key, default: fallback) },
            yaml: { "[" + $0.map(\.rawValue).joined(separator: ", ") + "]" },
            text: { "[" + $0.map(\.rawValue).joined(separator: ", ") + "]" },
            others: { $0.count > 1 ? ["[" + $0.dropLast().map(\.rawValue).joined(separator: ", ") + "]"] : [] })
    }
}

extension ConfigKey.Kind where Value == [String] {
    /// A list of non-empty texts.
    static func strings(distinct: Bool = false) -> Self {
        Self(
            read: { section, key, fallback, _ in
                try section.strings(key, default: fallback, distinct: distinct) ?? []
            },
            yaml: { "[" + $0.joined(separator: ", ") + "]" }, text: { "[" + $0.joined(separator: ", ") + "]" },
            others: { _ in [] })
    }
}

extension ConfigKey.Kind where Value == [String]? {
    /// A list of distinct non-empty texts, or `null`.
    static var optionalStrings: Self { optionalStrings(distinct: true) }

    /// A list of non-empty texts (`distinct`: each once), or `null`.
    static func optionalStrings(distinct: Bool) -> Self {
        Self(
            read: { section, key, fallback, _ in try section.strings(key, default: fallback, distinct: distinct) },
            yaml: { $0.map { "[" + $0.joined(separator: ", ") + "]" } ?? "null" },
            text: { $0.map { "[" + $0.joined(separator: ", ") + "]" } ?? "null" }, others: { _ in [] })
    }
}

extension ConfigKey.Kind where Value == ClosedRange<Int> {
    /// `[low, high]` within the limits the config read so far allows.
    static func range(within limits: @escaping @Sendable (ExperimentConfig) -> ClosedRange<Int>) -> Self {
        Self(
            read: { section, key, fallback, config in
                try section.range(key, default: fallback, within: limits(config))
            },
            yaml: { "[\($0.lowerBound), \($0.upperBound)]" }, text: { "[\($0.lowerBound), \($0.upperBound)]" },
            others: { ["[\($0.lowerBound), \($0.upperBound + 1)]"] })
    }
}

extension ConfigKey.Kind where Value == String? {
    /// A file name in the site ending in one of `extensions`: `true` gives `named`, `false` or `null` none.
    static func siteFile(named: String, extensions: [String]) -> Self {
        Self(
            read: { section, key, _, _ in try section.siteFileName(key, default: named, extensions: extensions) },
            yaml: { $0 ?? "false" }, text: { $0 ?? "false" }, others: { _ in ["true"] })
    }
}

extension ConfigKey.Kind where Value == ExperimentConfig.GroupSource? {
    /// `null`, a CSV column's name, or `{pattern: REGEX}`.
    static var groupSource: Self {
        Self(
            read: { section, key, _, _ in try section.groupSource(key) },
            yaml: { $0?.written ?? "null" }, text: { $0?.written ?? "null" }, others: { _ in [] })
    }
}

extension ConfigKey.Kind where Value == [FeatureSetting] {
    /// A list of compared settings, `- {features, reducer, components, whiten, method}` each.
    static var settings: Self {
        Self(
            read: { section, key, fallback, _ in
                try section.sections(key)?.map { item -> FeatureSetting in
                    var setting = item
                    let result = FeatureSetting(
                        features: try setting.choice("features", default: .pixels),
                        reducer: try setting.choice("reducer", default: .pca),
                        components: try setting.int("components", default: 2, in: 1...1024),
                        whiten: try setting.bool("whiten", default: false),
                        method: try setting.choice("method", default: .kmeans))
                    try setting.finish()
                    return result
                } ?? fallback
            },
            yaml: { $0.map { "- " + $0.yaml }.joined(separator: "\n") },
            text: { "[" + $0.map(\.title).joined(separator: ", ") + "]" },
            others: { settings in settings.count > 1 ? ["[" + settings[0].yaml + "]"] : ["[]"] })
    }
}

extension ConfigKey.Kind where Value == Sweep {
    /// Config keys mapped to lists of values.
    static var sweep: Self {
        Self(
            read: { section, key, _, _ in try section.sweep(key) },
            yaml: {
                $0.axes.isEmpty
                    ? "{}"
                    : "{" + $0.axes.map { "\($0.key): [\($0.values.joined(separator: ", "))]" }.joined(separator: ", ")
                        + "}"
            },
            text: { _ in "" }, others: { _ in [] })
    }
}

extension FeatureSetting {
    /// The setting as a config file writes it: `{features: hog, reducer: pca, components: 50, whiten: true}`,
    /// with `method` when it is not k-means.
    var yaml: String {
        "{features: \(features.rawValue), reducer: \(reducer.rawValue), components: \(components), whiten: \(whiten)"
            + (method == .kmeans ? "" : ", method: \(method.rawValue)") + "}"
    }
}
