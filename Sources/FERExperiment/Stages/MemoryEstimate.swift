import FERCore
import FERData

/// What a run's model work will hold in memory at its peak, estimated before
/// it starts, against what this process may use: a run that cannot fit is
/// refused with the estimate and the settings that change it, instead of
/// failing to allocate an hour later.
struct MemoryEstimate {
    /// Estimated peak bytes.
    let bytes: Int
    /// The rows and longest feature vector the estimate is made of, for the message.
    let rows: Int, longestFeature: Int

    /// The estimate for `rows` used images of the dataset, with `featureLengths` the length of each feature kind in
    /// use and `scoreColumns` the component scores kept (the fitted components of every model and fold, summed).
    init(dataset: DatasetSummary, rows: Int, featureLengths: [Int], scoreColumns: Int, folds: Int) {
        let float = MemoryLayout<Float>.size
        // Reducers are fitted on at most `Reduction.fitSample` rows, and every row is then scored a block at a
        // time; so are the folds' when each fold leaves more.
        let fitted = min(rows, Reduction.fitSample)
        // The dataset, the copy of the fitted rows' pixels a feature extraction reads, and the window of a
        // CSV file read a window at a time.
        let data = dataset.rows * dataset.pixelsPerRow + fitted * dataset.pixelsPerRow + CSVDatasetReader.windowBytes
        let longest = featureLengths.max() ?? dataset.pixelsPerRow
        // One kind's features at a time (they are extracted when a stage needs them, not kept), and every
        // model's and fold's scores, which are kept for the figures.
        let features = fitted * longest * float + rows * scoreColumns * float
        // The near-copy check's small copy of each image.
        let nearCopies = rows * NearCopies.Settings().side * NearCopies.Settings().side * float
        // Beside the features of the rows the folds are fitted on (at most a sample's, counted above), their
        // scatter matrices, or else a copy of one fold's rows.
        let foldRows = min(rows - rows / max(folds, 1), Reduction.fitSample)
        let folds =
            folds < 2
            ? 0
            : FoldReductions.usesScatterMatrices(rows: foldRows, columns: longest, folds: folds)
                ? (folds + 3) * longest * longest * float : foldRows * longest * float
        bytes = data + features + nearCopies + folds + (256 << 20)
        self.rows = rows
        longestFeature = longest
    }

    /// Refuses the run when the estimate exceeds nine tenths of what is available.
    func check(source: String) throws {
        let available = MachineMemory.available
        guard bytes > available / 10 * 9 else { return }
        let gigabytes = MachineMemory.gigabytes
        throw DataError(
            file: source,
            """
            would need about \(gigabytes(bytes)) of memory (\(rows) images, features of up to \(longestFeature) values), \
            more than the \(gigabytes(available)) this process may use; use fewer images (preprocessing.per_class), \
            smaller ones (dataset.width and dataset.height), fewer settings in features.compare, or fewer stability.folds
            """)
    }
}
