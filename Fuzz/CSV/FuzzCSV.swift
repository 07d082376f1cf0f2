import FERData
import FuzzDriver

/// One fuzz input: parsed as a FER-layout CSV. Any input must give a dataset
/// or a `DataError`; a crash, a sanitizer report or a dataset whose buffers
/// disagree is a finding.
@_cdecl("ferlab_fuzz_csv")
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let dataset = try? CSVDatasetReader.parse(bytes, file: "fuzz.csv") else { return 0 }
    if dataset.pixels.count != dataset.count * dataset.width * dataset.height
        || dataset.labels.contains(where: { $0 < 0 || Int($0) >= dataset.labelNames.count })
    {
        fatalError("inconsistent dataset from fuzz input")
    }
    return 0
}

/// The program's entry point (SwiftPM names it after the module): libFuzzer's driver.
@_cdecl("fuzz_csv_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    ferlab_fuzz_run(argc, argv, fuzzCSV)
}
