import FERMath
import Foundation
import Testing

/// Loads a JSON fixture written by Scripts/reference/make_numerics_fixtures.py.
func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(T.self, from: Data(contentsOf: url))
}

/// `|a − b| <= tolerance * max(|b|, floor)`: relative, with an absolute floor for values near zero.
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-3) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}
