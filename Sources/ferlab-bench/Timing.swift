import Foundation

/// Wall-clock timing for the benchmarks.
enum Timing {
    /// Seconds `body` took.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median of `repetitions` timings of `body` (at least one).
    static func median(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, repetitions) { times.append(try seconds(body)) }
        return times.sorted()[times.count / 2]
    }

    /// Prints `values` as one JSON object with sorted keys.
    static func printJSON(_ values: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
