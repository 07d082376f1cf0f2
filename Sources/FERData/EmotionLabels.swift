/// FER2013's emotion names, indexed by their code in the dataset.
package enum EmotionLabels {
    /// `0 Angry, 1 Disgust, 2 Fear, 3 Happy, 4 Sad, 5 Surprise, 6 Neutral`.
    package static let fer2013 = ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"]

    /// The FER2013 code of a label name, ignoring case (`"happy"` is 3), or
    /// `nil` when the name is not one of FER2013's.
    package static func fer2013Code(of name: String) -> Int? {
        let lowered = name.lowercased()
        return fer2013.firstIndex { $0.lowercased() == lowered }
    }
}
