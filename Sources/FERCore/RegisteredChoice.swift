/// A value that names one plug-in of a registry by what configs call it:
/// found from that name, listed in the registry's order, and equal to
/// another when the names are. Feature kinds, reducers and clusterers are
/// such choices over their registries.
package protocol RegisteredChoice: RawRepresentable, CaseIterable, Hashable, Codable, Sendable
where RawValue == String, AllCases == [Self] {
    /// What the registry lists: a plug-in's type.
    associatedtype Plugin
    /// Every plug-in, in the order configs list them.
    static var registry: [Plugin] { get }
    /// What configs call `plugin`.
    static func name(of plugin: Plugin) -> String
    /// The choice of `plugin`.
    init(_ plugin: Plugin)
}

extension RegisteredChoice {
    /// The plug-in a config calls `rawValue`, if any.
    package init?(rawValue: String) {
        guard let plugin = Self.registry.first(where: { Self.name(of: $0) == rawValue }) else { return nil }
        self.init(plugin)
    }

    /// Every choice, in the registry's order.
    package static var allCases: [Self] { registry.map(Self.init) }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }
    package func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
