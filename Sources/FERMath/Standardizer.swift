/// Each column to zero mean and unit variance with the training rows'
/// statistics (scikit-learn's `StandardScaler`; constant columns are left unscaled).
package struct Standardizer: Sendable, Equatable, Codable {
    /// Column means of the rows it was fitted on.
    package let means: [Float]
    /// One over each column's standard deviation (1 for constant columns).
    package let scales: [Float]

    /// Fitted on the rows of `x`.
    package init(fitting x: Matrix) {
        let (means, variances) = x.columnStatistics()
        self.means = means.map(Float.init)
        scales = variances.map { $0 > 0 ? Float(1 / $0.squareRoot()) : 1 }
    }

    /// `x` shifted and scaled with the fitted statistics.
    package func apply(_ x: Matrix) -> Matrix {
        x.scalingColumns(shift: means, scale: scales)
    }
}
