import FERCore

/// How the label names of data given to `ferlab predict` map to the model's:
/// by `--labels`, by name (case aside), or by a shared beginning of at least
/// three letters that only one of the model's labels has (`anger` and
/// `Angry`), which is announced.
struct LabelMatch {
    /// Per data label, the model's label code, `nil` when none matches.
    let codes: [Int?]
    /// The matches made otherwise than by name, as `anger → Angry`.
    let announced: [String]
    /// The data's labels that match none of the model's.
    let unmatched: [String]

    /// Matches `data`'s label names to `model`'s, `given` (data name to model name) first.
    /// - Throws: `ValidationError`-like text when `given` names a label the model does not have.
    static func of(data: [String], model: [String], given: [String: String]) throws -> LabelMatch {
        var codes: [Int?] = [], announced: [String] = [], unmatched: [String] = []
        let lowered = model.map { $0.lowercased() }
        for name in data {
            if let wanted = given.first(where: { $0.key.lowercased() == name.lowercased() })?.value {
                guard let code = lowered.firstIndex(of: wanted.lowercased()) else {
                    throw LabelMapError(
                        "--labels \(name)=\(wanted): \(wanted) is not one of the model's labels (\(model.joined(separator: ", ")))"
                    )
                }
                codes.append(code)
                announced.append("\(name) → \(model[code])")
            } else if let code = lowered.firstIndex(of: name.lowercased()) {
                codes.append(code)
            } else if let code = sharedBeginning(name.lowercased(), among: lowered) {
                codes.append(code)
                announced.append("\(name) → \(model[code])")
            } else {
                codes.append(nil)
                unmatched.append(name)
            }
        }
        return LabelMatch(codes: codes, announced: announced, unmatched: unmatched)
    }

    /// Reads `--labels anger=Angry,happiness=Happy`.
    static func given(_ text: String?) throws -> [String: String] {
        guard let text else { return [:] }
        var pairs: [String: String] = [:]
        for part in text.split(separator: ",") {
            let sides = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
                throw LabelMapError("--labels \(text): needs data=model pairs, like anger=Angry,happiness=Happy")
            }
            pairs[sides[0]] = sides[1]
        }
        return pairs
    }

    /// The one label among `labels` that shares the longest beginning with `name`, of three letters at least.
    private static func sharedBeginning(_ name: String, among labels: [String]) -> Int? {
        let shared = labels.map { zip($0, name).prefix { $0 == $1 }.count }
        guard let longest = shared.max(), longest >= 3, shared.filter({ $0 == longest }).count == 1 else { return nil }
        return shared.firstIndex(of: longest)
    }
}

/// A `--labels` map that cannot be used.
struct LabelMapError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
